// What the demo submits, and when, in three QoS classes: a backlog of standard and batch
// work at time 0, and interactive requests arriving through the run, each an online batch
// of a few tasks due together. The SLOs are scaled to the demo's work (tens of ms a task,
// seconds a run) so that attainment says something: a request's GPU step goes before the
// batch class's training, standard fetches wait out the hung io agent, batch work has slack.
import type { QosOptions } from '../../machines/qos-classes.js';
import type { TaskSpec } from '../tasks/task-spec.js';

/** The demo's classes: the names of docs/qos.md, the SLOs scaled to the demo's work. */
export const DEMO_QOS: QosOptions = {
  classes: {
    interactive: { sloMs: 500, weight: 6 },
    standard: { sloMs: 3_000, weight: 3 },
    batch: { sloMs: 20_000, weight: 1 },
  },
  default: 'standard',
};

/** An interactive request must finish within this of its submit, or it fails (`DeadlineExceeded`). */
export const REQUEST_DEADLINE_MS = 3_000;
/** Interactive requests arrive over about this much simulated time per task of the run. */
const ARRIVAL_MS_PER_TASK = 15;

/** Tasks of each class in a run of `tasks`: 30% interactive, 30% batch, the rest standard. */
export function demoShares(tasks: number): {
  interactive: number;
  standard: number;
  batch: number;
} {
  const interactive = Math.floor(tasks * 0.3);
  const batch = Math.floor(tasks * 0.3);
  return { interactive, standard: tasks - interactive - batch, batch };
}

/** One submission: `submitMany` of its specs, or `submitBatch` when it is a request. */
export interface DemoSubmission {
  /** Simulated time of the submission, ms. */
  readonly atMs: number;
  readonly specs: readonly TaskSpec[];
  /** An online batch: its class, and its deadline relative to its submit. */
  readonly batch?: { readonly qos: string; readonly deadlineMs: number };
}

const RESIZE = { type: 'resize', capabilities: ['cpu'] } as const;
const FETCH = { type: 'fetch', capabilities: ['io'] } as const;
const TRAIN = { type: 'train', capabilities: ['gpu'], resources: { vram: 16 } } as const;
/** Standard work resizes and fetches; batch work trains on the GPUs and resizes. */
const KINDS = { standard: [RESIZE, RESIZE, FETCH], batch: [TRAIN, RESIZE] } as const;

/**
 * The demo's submissions in time order. `ioInput` gives a `fetch` task its input (the
 * threaded io agent's work); `hang` marks the first standard fetch, the one that hangs.
 */
export function demoPlan(
  tasks: number,
  random: () => number,
  ioInput?: (hang: boolean) => unknown,
): DemoSubmission[] {
  const shares = demoShares(tasks);
  const backlog = (count: number, qos: 'standard' | 'batch', hangAt: number) =>
    Array.from({ length: count }, (_, i): TaskSpec => {
      const kinds = KINDS[qos];
      const kind = kinds[i % kinds.length] ?? RESIZE;
      return {
        type: kind.type,
        ...(ioInput && kind.type === 'fetch' ? { input: ioInput(i === hangAt) } : {}),
        capabilities: [...kind.capabilities],
        ...('resources' in kind ? { resources: kind.resources } : {}),
        // Standard work names no class: it is the default.
        ...(qos === 'batch' ? { qos } : {}),
        priority: Math.floor(random() * 10),
        timeoutMs: 5_000,
      };
    });
  const plan: DemoSubmission[] = [
    { atMs: 0, specs: backlog(shares.standard, 'standard', 2) },
    { atMs: 0, specs: backlog(shares.batch, 'batch', -1) },
  ];
  const sizes = requestSizes(shares.interactive, random);
  const gapMs = Math.max(10, Math.round((tasks * ARRIVAL_MS_PER_TASK) / (sizes.length + 1)));
  sizes.forEach((size, r) => {
    // A request: one inference on a GPU, the rest previews on any CPU.
    const specs = Array.from(
      { length: size },
      (_, i): TaskSpec =>
        i === 0
          ? { type: 'infer', capabilities: ['gpu'], resources: { vram: 8 }, timeoutMs: 1_000 }
          : { type: 'preview', capabilities: ['cpu'], timeoutMs: 1_000 },
    );
    // Arrivals on the 10 ms ticks the demo's clock moves by.
    const atMs = Math.round((gapMs * (r + 1)) / 10) * 10;
    plan.push({ atMs, specs, batch: { qos: 'interactive', deadlineMs: REQUEST_DEADLINE_MS } });
  });
  return plan.filter((s) => s.specs.length > 0);
}

/** Requests of 3 to 5 tasks that add up to `total`; the last takes what is left. */
function requestSizes(total: number, random: () => number): number[] {
  const sizes: number[] = [];
  for (let left = total; left > 0; ) {
    const size = Math.min(left, 3 + Math.floor(random() * 3));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/** The classes of a run of `tasks`, for the line the demo opens with. */
export function classesLine(tasks: number): string {
  const shares = demoShares(tasks);
  const cls = (name: 'interactive' | 'standard' | 'batch') => {
    const { sloMs, weight } = DEMO_QOS.classes[name] ?? { sloMs: 0 };
    return `${name} ${shares[name]} (SLO ${sloMs} ms, weight ${weight ?? 1})`;
  };
  return `classes: ${cls('interactive')} in requests of 3-5 due within ${REQUEST_DEADLINE_MS} ms, ${cls('standard')}, ${cls('batch')}`;
}
