// A flaky handler, retried with exponential backoff; an output schema; a per-attempt timeout.
import { createSystem } from 'overseer';
import { z } from 'zod';

let calls = 0;
const system = createSystem({
  agents: [
    {
      id: 'geocoder',
      handler: async (address: string, ctx) => {
        calls++;
        if (ctx.attempt < 3) throw new Error('geocoding service returned 503');
        return { address, lat: 52.52, lon: 13.4 };
      },
    },
  ],
  retry: {
    maxAttempts: 5,
    backoff: { kind: 'exponential', initialDelayMs: 10, maxDelayMs: 100, jitter: 0.2 },
  },
}).start();

const handle = await system.submit({
  type: 'geocode',
  input: 'Unter den Linden 1, Berlin',
  timeoutMs: 1_000,
  outputSchema: z.object({ address: z.string(), lat: z.number(), lon: z.number() }),
});
export const output = await handle.result();
export const attempts = system.task(handle.id).attempts;
console.log(output, `after ${attempts} attempts (${calls} calls)`);
await system.stop();
