// Overload, three ways: a class that refuses work predicted to finish past its SLO, a
// class whose submissions wait for room (`delay`), and a flaky agent whose circuit breaker
// opens so its work goes to the healthy one (`adaptiveConcurrency`).
import { createSystem, Overloaded, type OverseerEvent, type TaskHandle } from 'overseer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let release: () => void = () => {};
const gate = new Promise<void>((resolve) => {
  release = resolve;
});

const system = createSystem({
  agents: [
    // `lookup` work takes about 40 ms; `report` work waits for the gate.
    { id: 'worker', capabilities: ['lookup'], handler: () => sleep(40) },
    { id: 'reporter', capabilities: ['report'], handler: () => gate },
    // One agent always fails: its breaker opens after 3 failures in a row.
    { id: 'flaky', capabilities: ['score'], handler: () => Promise.reject(new Error('down')) },
    { id: 'steady', capabilities: ['score'], handler: () => 'scored' },
  ],
  adaptiveConcurrency: { failureThreshold: 3, openMs: 60_000 },
  qos: {
    classes: {
      // A person waits for these: 300 ms from submit to finish.
      interactive: { sloMs: 300 },
      // Reports: two at a time; the next submission waits up to 5 s for room.
      reports: { sloMs: 60_000, queueCap: 2, overload: 'delay', maxDelayMs: 5_000 },
      standard: { sloMs: 20_000 },
    },
    default: 'standard',
  },
}).start();

// 1. Admission by predicted finish: once `lookup` has a measured run time (about 40 ms),
//    interactive lookups are admitted while the ones queued ahead leave room to finish
//    within 300 ms; the first that could not is refused, before anything of it is stored.
const lookup = { type: 'lookup', capabilities: ['lookup'], qos: 'interactive' };
await (await system.submit(lookup)).result();
let refused: unknown;
const admitted: TaskHandle[] = [];
while (refused === undefined && admitted.length < 50) {
  await system.submit(lookup).then(
    (handle) => admitted.push(handle),
    (error: unknown) => {
      refused = error;
    },
  );
}
export const refusal = refused instanceof Overloaded ? refused.reason : refused;
// The admitted ones complete, or, if one still could not finish in time when its turn
// came, fail fast with DeadlineExceeded without taking the agent's time.
await Promise.allSettled(admitted.map((handle) => handle.result()));

// 2. The delay policy: the third report waits (nothing stored) until one of the two finishes.
const reports = [
  await system.submit({ type: 'report', capabilities: ['report'], qos: 'reports' }),
  await system.submit({ type: 'report', capabilities: ['report'], qos: 'reports' }),
];
const third = system.submit({ type: 'report', capabilities: ['report'], qos: 'reports' });
release(); // the first two finish, so the third is admitted
reports.push(await third);
await Promise.all(reports.map((r) => r.result()));
export const reportsDone = reports.length;

// 3. The breaker: `flaky` fails three times in a row and gets no more work; every score
//    task is retried onto `steady`, so all of them complete.
const limits: OverseerEvent[] = [];
system.on('agent.limit', (event) => limits.push(event));
const scores = await system.submitMany(
  Array.from({ length: 6 }, () => ({
    type: 'score',
    capabilities: ['score'],
    retry: { maxAttempts: 5, backoff: { kind: 'fixed' as const, delayMs: 1 } },
  })),
);
export const scored = (await Promise.all(scores.map((s) => s.result()))).length;
export const breaker = system.metrics().agentLimits.flaky?.breaker;

await system.stop();
