// The table the demo ends with: outcomes, retries, restarts and submit-to-start latency.
import type { DemoResult } from './demo-workload.js';

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);

export function summaryRows(result: DemoResult): [string, string][] {
  const { tasks, restarts } = result.system.stats();
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  return [
    ['completed', String(tasks.completed)],
    ['failed', String(tasks.failed)],
    ['retried attempts', String(result.retried)],
    ['agent restarts', String(restarts)],
    ['submit-to-start p50', `${percentile(sorted, 50)} ms`],
    ['submit-to-start p99', `${percentile(sorted, 99)} ms`],
    ['simulated time', `${result.clock.now()} ms`],
  ];
}

export function formatTable(rows: readonly [string, string][]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  const valueWidth = Math.max(...rows.map(([, v]) => v.length));
  const line = `+${'-'.repeat(width + 2)}+${'-'.repeat(valueWidth + 2)}+`;
  return [
    line,
    ...rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v.padStart(valueWidth)} |`),
    line,
  ].join('\n');
}
