// Metrics, Prometheus exposition, structured logs and a /metrics endpoint.
import { createServer } from 'node:http';
import { createSystem } from 'overseer';
import { prometheusMetrics } from 'overseer/prometheus';
import { pino } from 'pino';

const logger = pino({ level: 'warn' }); // any logger with pino's debug/info/warn/error
let calls = 0;
const system = createSystem({
  logger,
  agents: [
    {
      id: 'thumbnailer',
      concurrency: 2,
      handler: async (width: number) => {
        if (++calls === 2) throw new Error('image store timed out'); // logged at warn, retried
        return width / 2;
      },
    },
  ],
  retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 10 } },
});
const prometheus = prometheusMetrics(system); // attach before start to see every latency
system.start();

const server = createServer(async (_req, res) => {
  res.setHeader('Content-Type', prometheus.contentType);
  res.end(await prometheus.metrics());
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

const handles = await system.submitMany(
  [640, 800, 1024].map((w) => ({ type: 'thumb', input: w, qos: 'interactive' })),
);
await Promise.all(handles.map((h) => h.result()));

export const snapshot = system.metrics();
const address = server.address();
const port = typeof address === 'object' && address ? address.port : 0;
export const exposition = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();

server.close();
await system.stop();
