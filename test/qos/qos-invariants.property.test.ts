// Invariants of QoS scheduling under random workloads (classes with weights, submissions at
// random times, run times, batch sizes, caps, deadlines and cancellations), each system on a
// SimulatedClock run to completion. Fair share is checked against a bound derived from
// machines/fair-share.ts, and shown to catch a scheduler that does not share fairly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { QosOptions } from '../../machines/qos-classes.js';
import { type BatchHandle, createSystem, Overloaded, type OverseerEvent } from '../../src/index.js';
import { type ReadyEntry, Scheduler } from '../../src/scheduling/scheduler.js';
import { nextTimerAt } from '../../src/testing/index.js';
import { seededRandom, settle } from '../support/system-harness.js';

const CLASSES = ['interactive', 'standard', 'batch'] as const;
type Weights = Readonly<Record<string, number>>;
type Of<A> = A extends fc.Arbitrary<infer T> ? T : never;
const weights = fc.record({
  interactive: fc.integer({ min: 2, max: 6 }),
  standard: fc.integer({ min: 1, max: 3 }),
  batch: fc.constant(1),
});

/** A task joined its class's queue, left it without starting (expired, cancelled), or started. */
type QueueStep = { readonly kind: 'queued' | 'left' | 'started'; readonly cls: string };

/**
 * The fair-share bound: while class C has work queued without a break, each other class j
 * starts at most `w_j / w_C * (n_C + 1) + 1` tasks, n_C being C's starts so far. Why (start-time
 * fair queuing, machines/fair-share.ts, class-shares.ts): the system time S (tag of the class
 * served last) never decreases; C's stretch begins at a tag of at most S + 1/w_C (resumed at S,
 * or its last start, at most S, plus 1/w_C) that grows 1/w_C a start of C. j's tag is at least
 * S, grows 1/w_j a start, and j starts only at a tag at most C's. Returns the first breach.
 */
function starvation(steps: readonly QueueStep[], w: Weights): string | undefined {
  const queued = new Map<string, number>();
  const stretches = new Map<string, Map<string, number>>();
  for (const [i, { kind, cls }] of steps.entries()) {
    const waiting = queued.get(cls) ?? 0;
    if (kind === 'queued') {
      if (waiting === 0) stretches.set(cls, new Map());
      queued.set(cls, waiting + 1);
      continue;
    }
    if (kind === 'started') {
      for (const [c, starts] of stretches) {
        const nj = (starts.get(cls) ?? 0) + 1;
        starts.set(cls, nj);
        const nc = starts.get(c) ?? 0;
        const bound = ((w[cls] ?? 1) / (w[c] ?? 1)) * (nc + 1) + 1;
        if (c !== cls && nj > bound + 1e-9)
          return `step ${i}: ${nj} ${cls} starts while ${c} waited, after ${nc} of ${c}'s (bound ${bound})`;
      }
    }
    queued.set(cls, waiting - 1);
    if (waiting === 1) stretches.delete(cls);
  }
  return undefined;
}

const submission = fc.record({
  atMs: fc.integer({ min: 0, max: 1_500 }),
  cls: fc.constantFrom(...CLASSES),
  /** Run time of each task; more than one is a batch (`submitBatch`). */
  runMs: fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 5 }),
  /** Attempts that fail first (a retryable error); 2 fails the task. */
  failFirst: fc.integer({ min: 0, max: 2 }),
  deadlineInMs: fc.option(fc.integer({ min: 30, max: 1_000 }), { nil: undefined }),
  cancelInMs: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
});
const workload = fc.record({
  weights,
  agents: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }),
  caps: fc.tuple(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 3, max: 12 })),
  submissions: fc.array(submission, { minLength: 1, maxLength: 16, size: 'medium' }),
  /** Loose: SLOs far beyond the run, no deadlines, no cancellations: nothing leaves a queue unstarted. */
  loose: fc.boolean(),
});
type Workload = Of<typeof workload>;
const looseWorkload = workload.map((w) => ({ ...w, loose: true }));

/** Caps: interactive refuses at caps[0], standard degrades to batch at caps[1]. */
function qosOf(w: Workload): QosOptions {
  const sloMs = (ms: number) => (w.loose ? ms * 1_000_000 : ms);
  const { interactive, standard, batch } = w.weights;
  const overload = { degradeTo: 'batch' };
  return {
    classes: {
      interactive: { sloMs: sloMs(300), weight: interactive, queueCap: w.caps[0] },
      standard: { sloMs: sloMs(2_000), weight: standard, queueCap: w.caps[1], overload },
      batch: { sloMs: sloMs(20_000), weight: batch },
    },
    default: 'standard',
  };
}

const isEnd = (e: OverseerEvent): e is OverseerEvent & { taskId: string } =>
  e.type === 'task.completed' || e.type === 'task.failed' || e.type === 'task.cancelled';

interface Submitted {
  readonly ids: readonly string[];
  refused?: unknown;
  batch?: BatchHandle;
  /** How often the batch's first `result()` settled, and how. */
  settled: { count: number; ok?: boolean };
}

async function run(w: Workload) {
  const clock = new SimulatedClock();
  const work = async (input: { ms: number; failFirst: number }, ctx: { attempt: number }) => {
    await new Promise((resolve) => clock.setTimeout(resolve, input.ms));
    if (ctx.attempt <= input.failFirst) throw new Error(`attempt ${ctx.attempt} failed`);
    return input.ms;
  };
  const agents = w.agents.map((concurrency, i) => ({ id: `a${i}`, concurrency, handler: work }));
  const system = createSystem({ clock, random: seededRandom(7), qos: qosOf(w), agents });
  const events: OverseerEvent[] = [];
  const ended = new Set<string>();
  system.on('*', (e) => {
    events.push(e);
    if (isEnd(e)) ended.add(e.taskId);
  });
  system.start();
  const submitted: Submitted[] = [];
  const submit = async (k: number) => {
    const s = w.submissions[k] as Workload['submissions'][number];
    const specs = s.runMs.map((ms, i) => ({
      id: `s${k}-${i}`,
      type: 'work',
      input: { ms, failFirst: s.failFirst },
      retry: { maxAttempts: 2, backoff: { kind: 'fixed' as const, delayMs: 20 } },
    }));
    const entry: Submitted = { ids: specs.map((t) => t.id), settled: { count: 0 } };
    submitted.push(entry);
    const deadline = w.loose || !s.deadlineInMs ? {} : { deadline: clock.now() + s.deadlineInMs };
    const options = { qos: s.cls, ...deadline };
    const settled = (ok: boolean) => () =>
      Object.assign(entry.settled, { count: entry.settled.count + 1, ok });
    try {
      if (specs.length > 1) {
        entry.batch = await system.submitBatch(specs, options);
        entry.batch.result().then(settled(true), settled(false));
      } else await system.submit({ ...specs[0], ...options } as never);
      if (!w.loose && s.cancelInMs !== undefined)
        clock.setTimeout(() => {
          for (const id of entry.ids) system.cancel(id, 'user left');
        }, s.cancelInMs);
    } catch (error) {
      entry.refused = error;
    }
  };
  for (const [k, s] of w.submissions.entries()) clock.setTimeout(() => void submit(k), s.atMs);
  const accepted = () => submitted.filter((s) => s.refused === undefined).flatMap((s) => s.ids);
  const done = () =>
    submitted.length === w.submissions.length &&
    accepted().every((id) => ended.has(id)) &&
    submitted.every((s) => !s.batch || s.settled.count > 0);
  for (let due = nextTimerAt(clock); due !== undefined && due < 6e5 && !done(); ) {
    clock.set(Math.max(due, clock.now()));
    await settle();
    due = nextTimerAt(clock);
  }
  await settle();
  expect(done()).toBe(true);
  return { system, events, submitted, accepted: new Set(accepted()) };
}

/** The queue moves of a run, each task in the class it was admitted to. */
function queueSteps({ system, events }: Run): QueueStep[] {
  const ready = new Set<string>();
  const steps: QueueStep[] = [];
  for (const e of events) {
    if (!('taskId' in e)) continue;
    const cls = system.task(e.taskId).qos;
    if (e.type === 'task.ready') steps.push({ kind: 'queued', cls });
    else if (e.type === 'task.assigned') steps.push({ kind: 'started', cls });
    else if (isEnd(e) && ready.has(e.taskId)) steps.push({ kind: 'left', cls });
    if (e.type === 'task.ready') ready.add(e.taskId);
    else ready.delete(e.taskId);
  }
  return steps;
}

/** Systems per property: 60 by default, more with FC_RUNS for long runs. */
const systemRuns = { numRuns: Number(process.env.FC_RUNS ?? 60) };
type Run = Awaited<ReturnType<typeof run>>;
const holds = (arb: fc.Arbitrary<Workload>, check: (w: Workload, r: Run) => unknown) =>
  fc.assert(
    fc.asyncProperty(arb, async (w) => void (await check(w, await run(w)))),
    systemRuns,
  );

describe('QoS invariants in a running system, under random workloads', { timeout: 120_000 }, () => {
  it('while a class has work queued, another class starts at most w_j/w_C·(n_C+1)+1 tasks (n_C: its starts meanwhile)', () =>
    holds(looseWorkload, (w, r) => {
      const steps = queueSteps(r);
      expect(steps.filter((s) => s.kind === 'left')).toEqual([]);
      expect(starvation(steps, w.weights)).toBeUndefined();
    }));

  it('no refused submission runs, and every accepted task ends exactly once', () =>
    holds(workload, (_, r) => {
      const refused = r.submitted.filter((s) => s.refused !== undefined);
      for (const s of refused) expect(s.refused).toBeInstanceOf(Overloaded);
      const rejections = r.events.filter((e) => e.type === 'qos.rejected');
      expect(rejections.map((e) => e.tasks)).toEqual(refused.map((s) => s.ids.length));
      const ends = new Map<string, number>();
      for (const e of r.events) {
        if (!('taskId' in e)) continue;
        expect(r.accepted.has(e.taskId)).toBe(true);
        if (isEnd(e)) ends.set(e.taskId, (ends.get(e.taskId) ?? 0) + 1);
      }
      for (const id of r.accepted) expect([id, ends.get(id)]).toEqual([id, 1]);
    }));

  it('every batch ends exactly once: result() settles once, progress() ends with nothing unfinished', () =>
    holds(workload, async (_, r) => {
      for (const { batch, settled } of r.submitted) {
        if (!batch) continue;
        const p = batch.progress();
        const n = batch.tasks.length;
        expect([p.total, p.unfinished, p.completed + p.failed + p.cancelled]).toEqual([n, 0, n]);
        const states = batch.tasks.map((t) => r.system.task(t.id).state);
        expect(p.completed).toBe(states.filter((s) => s === 'completed').length);
        expect(settled).toEqual({ count: 1, ok: p.completed === p.total });
        const [again] = await Promise.allSettled([batch.result()]);
        expect(again?.status === 'fulfilled').toBe(settled.ok);
        expect(settled.count).toBe(1);
      }
    }));
});

const arrivals = fc.array(
  fc.record({
    atTick: fc.integer({ min: 0, max: 20 }),
    cls: fc.constantFrom(...CLASSES),
    runTicks: fc.integer({ min: 1, max: 5 }),
  }),
  { minLength: 1, maxLength: 60, size: 'medium' },
);
const unitWorkload = fc.record({ weights, slots: fc.integer({ min: 1, max: 3 }), arrivals });
type UnitWorkload = Of<typeof unitWorkload>;

/** Runs the arrivals through one agent tick by tick; a start holds a slot for its run ticks. */
function schedule(s: Scheduler, u: UnitWorkload, priority = (_cls: string) => 0): QueueStep[] {
  s.addAgent({ id: 'a', capabilities: new Set(), slots: u.slots, limits: {} });
  const steps: QueueStep[] = [];
  const ends: { at: number; entry: ReadyEntry }[] = [];
  const requirement = { capabilities: [], resources: {} };
  for (let tick = 0; tick <= 20 || ends.some((end) => end.at >= tick); tick++) {
    for (const end of ends) if (end.at === tick) s.release('a', end.entry.requirement);
    for (const [seq, { atTick, cls }] of u.arrivals.entries()) {
      if (atTick !== tick) continue;
      const dueAt = tick + { interactive: 100, standard: 1_000, batch: 10_000 }[cls];
      const entry = { taskId: `${seq}`, seq, enqueuedAt: tick, requirement, qos: cls, dueAt };
      s.enqueue({ ...entry, priority: priority(cls) });
      steps.push({ kind: 'queued', cls });
    }
    for (let e = s.nextFor('a'); e; e = s.nextFor('a')) {
      ends.push({ at: tick + (u.arrivals[Number(e.taskId)]?.runTicks ?? 1), entry: e });
      steps.push({ kind: 'started', cls: e.qos ?? '?' });
    }
  }
  return steps;
}

const classesOf = (w: Weights): QosOptions => ({
  classes: Object.fromEntries(CLASSES.map((c) => [c, { sloMs: 1_000, weight: w[c] ?? 1 }])),
  default: 'standard',
});

/** Whether the scheduler `make` builds for a workload keeps within the bound of its weights. */
const withinBound =
  (make: (w: Weights) => Scheduler, priority?: (cls: string) => number) => (u: UnitWorkload) =>
    starvation(schedule(make(u.weights), u, priority), u.weights) === undefined;
const fair = withinBound((w) => new Scheduler({ qos: classesOf(w) }));

describe('the fair-share bound on the scheduler alone', () => {
  it('holds for the scheduler with QoS classes: another class starts at most w_j/w_C·(n_C+1)+1 while C waits', () => {
    fc.assert(fc.property(unitWorkload, fair), { numRuns: 300 });
  });

  const SEED = 20_261_122;
  const LOWEST_FIRST: Record<string, number> = { batch: 2, standard: 1, interactive: 0 };
  // Interactive and batch swap weights: batch gets the share meant for interactive.
  const swapped = (w: Weights) => ({ ...w, interactive: 1, batch: w.interactive ?? 1 });
  const strict = () => new Scheduler({ order: 'priority' });
  const broken: [string, (u: UnitWorkload) => boolean][] = [
    ['weights inverted', withinBound((w) => new Scheduler({ qos: classesOf(swapped(w)) }))],
    ['strict priority, lowest class first', withinBound(strict, (c) => LOWEST_FIRST[c] ?? 0)],
  ];
  for (const [name, holds] of broken)
    it(`catches a scheduler without fair share (${name}): fast-check finds a counterexample`, () => {
      const result = fc.check(fc.property(unitWorkload, holds), { seed: SEED, numRuns: 300 });
      expect(result.failed).toBe(true);
      // The real policy serves the same workload within the bound.
      const [counterexample] = result.counterexample ?? [];
      expect(counterexample && fair(counterexample)).toBe(true);
    });
});
