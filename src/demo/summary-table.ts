// The table a run ends with, drawn from its summary: outcomes, retries, restarts and
// submit-to-start latency, with units spelled out for people.
import type { RunSummary } from './run-summary.js';

const LABELS: Readonly<Record<keyof RunSummary, string>> = {
  submitted: 'submitted',
  rejected: 'rejected',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  unfinished: 'unfinished',
  retriedAttempts: 'retried attempts',
  agentRestarts: 'agent restarts',
  submitToStartP50Ms: 'submit-to-start p50',
  submitToStartP99Ms: 'submit-to-start p99',
  simulatedTimeMs: 'simulated time',
  invariantViolations: 'invariant violations',
};

/** The rows the demo's table has always shown. */
export const DEMO_ROWS: readonly (keyof RunSummary)[] = [
  'completed',
  'failed',
  'retriedAttempts',
  'agentRestarts',
  'submitToStartP50Ms',
  'submitToStartP99Ms',
  'simulatedTimeMs',
];

/** Label and value of each of `fields` (default all) that has a value; durations in ms. */
export function summaryRows(
  summary: RunSummary,
  fields: readonly (keyof RunSummary)[] = Object.keys(LABELS) as (keyof RunSummary)[],
): [string, string][] {
  return fields.flatMap((field): [string, string][] => {
    const value = summary[field];
    if (value === null) return [];
    return [[LABELS[field], field.endsWith('Ms') ? `${value} ms` : String(value)]];
  });
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
