// The targets of issue 14 for overseer's QoS, each checked against a run's figures:
// interactive attainment, goodput and wasted work at 2x and 3x load; at 0.8x nothing
// refused and no class worse than priority-FIFO by more than a point; with a degraded
// agent, attainment (all tasks, and each class) within five points of the healthy run.
import { CLASSES } from './classes.js';
import type { RunFigures } from './figures.js';

export interface Verdict {
  readonly target: string;
  readonly measured: number;
  /** How the figure is shown: a share, or a multiple of the capacity. */
  readonly unit: 'share' | 'x capacity' | 'points';
  readonly pass: boolean;
}

/** Figures by load, for the policy under test and for priority-FIFO. */
export interface TargetInputs {
  readonly qos: ReadonlyMap<number, RunFigures>;
  readonly priorityFifo: ReadonlyMap<number, RunFigures>;
  /** A QoS policy at the degraded load: healthy, and with one agent degraded. */
  readonly degraded?: readonly {
    readonly load: number;
    readonly policy: string;
    readonly healthy: RunFigures;
    readonly run: RunFigures;
  }[];
}

const atLeast = (target: string, measured: number, bound: number, unit: Verdict['unit']) => ({
  target,
  measured,
  unit,
  pass: measured >= bound,
});
const atMost = (target: string, measured: number, bound: number, unit: Verdict['unit']) => ({
  target,
  measured,
  unit,
  pass: measured <= bound,
});

function overloadTargets(load: number, f: RunFigures, interactive: number, waste: number) {
  return [
    atLeast(
      `${load}x: interactive on time ≥ ${interactive}`,
      f.byClass.interactive.attainment,
      interactive,
      'share',
    ),
    atLeast(`${load}x: goodput ≥ 1.0 of capacity`, f.all.goodput, 1, 'x capacity'),
    atMost(`${load}x: wasted work ≤ ${waste * 100}% of busy time`, f.wasted, waste, 'share'),
  ];
}

export function verdicts({ qos, priorityFifo, degraded }: TargetInputs): Verdict[] {
  const out: Verdict[] = [];
  const at2 = qos.get(2);
  if (at2) out.push(...overloadTargets(2, at2, 0.95, 0.1));
  const at3 = qos.get(3);
  if (at3) out.push(...overloadTargets(3, at3, 0.9, 0.12));
  const light = qos.get(0.8);
  const lightFifo = priorityFifo.get(0.8);
  if (light) out.push(atMost('0.8x: nothing rejected', light.all.rejected, 0, 'share'));
  if (light && lightFifo)
    for (const c of CLASSES) {
      const delta = light.byClass[c.name].attainment - lightFifo.byClass[c.name].attainment;
      out.push(
        atLeast(`0.8x: ${c.name} within 1 point of priority-FIFO`, delta * 100, -1, 'points'),
      );
    }
  for (const d of degraded ?? []) {
    // The target reads "attainment within 5 points": of all submitted tasks; each
    // class's own figure follows, so a class that pays for the lost agent shows.
    const all = (d.run.all.attainment - d.healthy.all.attainment) * 100;
    const who = d.policy === 'overseer-qos' ? '' : ` (${d.policy})`;
    out.push(
      atLeast(
        `${d.load}x, degraded agent${who}: all tasks within 5 points of healthy`,
        all,
        -5,
        'points',
      ),
    );
    for (const c of CLASSES) {
      const delta = d.run.byClass[c.name].attainment - d.healthy.byClass[c.name].attainment;
      out.push(
        atLeast(
          `${d.load}x, degraded agent${who}: ${c.name} within 5 points of healthy`,
          delta * 100,
          -5,
          'points',
        ),
      );
    }
  }
  return out;
}
