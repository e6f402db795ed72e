// QoS classes: a task names its class; a full class refuses with Overloaded or degrades.
import { createSystem, Overloaded } from 'overseer';

let finish: () => void = () => {};
const busy = new Promise<void>((resolve) => {
  finish = resolve;
});
const system = createSystem({
  // One agent, busy until `finish()`: the classes fill up meanwhile.
  agents: [{ id: 'worker', handler: async () => busy }],
  qos: {
    classes: {
      interactive: { sloMs: 3_000, weight: 6, queueCap: 1, overload: { degradeTo: 'standard' } },
      standard: { sloMs: 20_000, weight: 3, queueCap: 2 },
    },
    default: 'standard',
  },
}).start();

const first = await system.submit({ type: 'answer', qos: 'interactive' });
// interactive is full (cap 1): this one is admitted to standard instead.
const second = await system.submit({ type: 'answer', qos: 'interactive' });
export const classes = [system.task(first.id).qos, system.task(second.id).qos];

await system.submit({ type: 'report' }); // the default class: standard, now full
export const refused = await system
  .submit({ type: 'report' })
  .catch((error: unknown) =>
    error instanceof Overloaded ? { qos: error.qos, queueCap: error.queueCap } : error,
  );

finish();
await system.stop();
