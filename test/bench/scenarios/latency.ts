// Scenario 4: submit-to-start latency under open-loop arrivals at 50% and 90% of the
// capacity measured first. Arrivals are due on a schedule (not when the previous task is
// done), and latency counts from the scheduled arrival, so a stalled system cannot hide
// its backlog (no coordinated omission).
import { quantile, type Row, row, type ScenarioResult } from '../harness.js';
import { noopSystem, overseerRunAll } from '../overseer-runner.js';

async function openLoop(ratePerSecond: number, durationMs: number): Promise<number[]> {
  const latencies: number[] = [];
  const system = noopSystem(100, async (due: number) => {
    latencies.push(performance.now() - due);
  }).start();
  const total = Math.floor((ratePerSecond * durationMs) / 1_000);
  const start = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const dueNow = Math.min(
        total,
        Math.floor(((performance.now() - start) * ratePerSecond) / 1_000),
      );
      for (; sent < dueNow; sent++) {
        const due = start + (sent * 1_000) / ratePerSecond;
        void system.submit({ type: 'noop', input: due });
      }
      if (latencies.length < total) setImmediate(tick);
      else resolve();
    };
    setImmediate(tick);
  });
  await system.stop({ timeoutMs: 0 });
  return latencies.sort((a, b) => a - b);
}

export async function latency(quick: boolean): Promise<ScenarioResult> {
  const n = quick ? 10_000 : 30_000;
  await overseerRunAll(n, 100); // warm-up
  const capacity = (n * 1_000) / (await overseerRunAll(n, 100));
  const rows: Row[] = [row('measured capacity (100 agents)', capacity, 'tasks/s')];
  for (const load of [0.5, 0.9]) {
    const sorted = await openLoop(capacity * load, quick ? 1_000 : 3_000);
    const label = `${Math.round(load * 100)}% load`;
    rows.push(row(`${label}: submit-to-start p50`, quantile(sorted, 0.5), 'ms'));
    rows.push(row(`${label}: submit-to-start p99`, quantile(sorted, 0.99), 'ms'));
    rows.push(row(`${label}: submit-to-start max`, sorted.at(-1) ?? Number.NaN, 'ms'));
  }
  return {
    scenario: 'latency',
    rows,
    notes: ['latency from the scheduled arrival to the handler starting, real clock'],
  };
}
