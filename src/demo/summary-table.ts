// The table a run ends with, drawn from its summary: outcomes, retries, restarts,
// submit-to-start latency and each QoS class's SLO attainment, with units spelled out.
import type { ClassFigure, ClassFigureKey, RunSummary } from './run-summary.js';

/** The summary's fixed fields (the per-class figures come after them, one row a class). */
export type SummaryField = Exclude<keyof RunSummary, ClassFigureKey>;

const LABELS: Readonly<Record<SummaryField, string>> = {
  submitted: 'submitted',
  rejected: 'rejected',
  completed: 'completed',
  failed: 'failed',
  deadlineExceeded: 'of which deadline exceeded',
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
export const DEMO_ROWS: readonly SummaryField[] = [
  'rejected',
  'completed',
  'failed',
  'deadlineExceeded',
  'retriedAttempts',
  'agentRestarts',
  'submitToStartP50Ms',
  'submitToStartP99Ms',
  'simulatedTimeMs',
];

/**
 * Label and value of each of `fields` (default all) that has a value, durations in ms;
 * then each QoS class's attainment, e.g. `interactive on time (SLO 500 ms) | 98.3% (118/120)`.
 */
export function summaryRows(
  summary: RunSummary,
  fields: readonly SummaryField[] = Object.keys(LABELS) as SummaryField[],
): [string, string][] {
  const rows = fields.flatMap((field): [string, string][] => {
    const value = summary[field];
    if (value === null) return [];
    return [[LABELS[field], field.endsWith('Ms') ? `${value} ms` : String(value)]];
  });
  return [...rows, ...classRows(summary)];
}

/** One row per class found among the summary's `qos.<class>.*` keys, in their order. */
function classRows(summary: RunSummary): [string, string][] {
  const names = Object.keys(summary)
    .filter((key) => key.startsWith('qos.') && key.endsWith('.attainment'))
    .map((key) => key.slice('qos.'.length, -'.attainment'.length));
  return names.map((name): [string, string] => {
    const figure = (f: ClassFigure) => summary[`qos.${name}.${f}`] ?? 0;
    const finished = figure('finished');
    const share = finished === 0 ? '-' : percent(figure('attainment'));
    return [
      `${name} on time (SLO ${figure('sloMs')} ms)`,
      `${share} (${figure('onTime')}/${finished})`,
    ];
  });
}

/** A share as a percentage to a tenth, rounded down so that 100% means all. */
const percent = (share: number) => `${(Math.floor(share * 1000) / 10).toFixed(1)}%`;

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
