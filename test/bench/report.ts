// The benchmark results as a plain-text table per scenario. Figures that JSON turned into
// null (NaN: nothing measured) print as n/a; partial figures carry their mark.
import type { ScenarioResult } from './harness.js';

const figure = (n: number | null) =>
  n === null || Number.isNaN(n)
    ? 'n/a'
    : !Number.isFinite(n)
      ? String(n)
      : Math.abs(n) >= 100
        ? Math.round(n).toLocaleString('en')
        : n.toPrecision(3);

export function formatResults(
  machine: Record<string, unknown>,
  results: readonly ScenarioResult[],
): string {
  const lines = [
    `machine: ${Object.entries(machine)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ')}`,
    '',
  ];
  for (const result of results) {
    lines.push(`## ${result.scenario}`);
    const cells = result.rows.map((r) => [
      r.label,
      `${figure(r.value)} ${r.unit}`,
      r.spread ? `${figure(r.spread.min)} .. ${figure(r.spread.max)} (${r.spread.runs} runs)` : '',
      r.ratio === undefined ? '' : `${figure(r.ratio)}x ${r.baseline ?? ''}`.trim(),
      r.mark ? `[${r.mark}]` : '',
    ]);
    const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...cells.map((c) => (c[i] ?? '').length)));
    for (const c of cells)
      lines.push(
        c
          .map((cell, i) => (i === 1 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
          .join('  ')
          .trimEnd(),
      );
    for (const note of result.notes) lines.push(`  (${note})`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
