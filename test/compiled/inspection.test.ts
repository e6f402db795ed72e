// Inspection: a compiled actor linked under a parent whose system has an inspector reports
// XState's inspection events, in the order a real XState child of the same parent does,
// over one task lifecycle (start, attempt, retry after backoff, attempt, completion and
// the done event relayed to the parent); told nothing, it reports none.
import { describe, expect, it } from 'vitest';
import type { AnyEventObject, InspectionEvent } from 'xstate';
import { taskMachine } from '../../machines/task.js';
import { type Kind, parented } from './parented.js';

const input = {
  taskId: 't1',
  retry: { maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 100 } },
  timeoutMs: 1_000,
  submittedAt: 0,
  seed: 7,
} as const;
const failure = { kind: 'error', code: 'HandlerError', message: 'threw' } as const;
const attempt = (at: number): AnyEventObject[] => [
  { type: 'assign', agentId: 'a1', at },
  { type: 'start', at: at + 1 },
];

function lifecycle(kind: Kind, inspected = true) {
  const run = parented(kind, taskMachine, { id: 'task:t1', input, inspect: true, inspected });
  run.child.start();
  for (const event of attempt(1)) run.child.send(event);
  run.child.send({ type: 'fail', error: failure, retryable: true, at: 3 });
  run.clock.increment(input.retry.backoff.delayMs);
  for (const event of attempt(104)) run.child.send(event);
  run.child.send({ type: 'complete', output: 1, at: 106 });
  return { run, events: run.inspection };
}

/** One inspection event as a line: its type, its event or action, whose it is. */
function describeEvent(e: InspectionEvent, child: unknown): string {
  const who = (ref: unknown) => (ref === child ? 'child' : ref === undefined ? '-' : 'parent');
  const detail =
    e.type === '@xstate.action'
      ? e.action.type
      : 'event' in e
        ? (e.event as AnyEventObject).type
        : '';
  const source = e.type === '@xstate.event' ? ` from ${who(e.sourceRef)}` : '';
  return `${e.type} ${detail} (${who(e.actorRef)}${source})`;
}

function sideBySide(a: readonly string[], b: readonly string[]): string {
  const width = Math.max(...a.map((line) => line.length), 6);
  const rows = Array.from({ length: Math.max(a.length, b.length) }, (_, i) => {
    const [x, y] = [a[i] ?? '', b[i] ?? ''];
    return `${x === y ? '  ' : '≠ '}${String(i).padStart(2)} ${x.padEnd(width)} | ${y}`;
  });
  return [`     ${'xstate'.padEnd(width)} | compiled`, ...rows].join('\n');
}

describe('inspection of a compiled actor', () => {
  it('reports the same sequence of inspection event types as an XState child', () => {
    const xstate = lifecycle('xstate');
    const compiled = lifecycle('compiled');
    const lines = (l: ReturnType<typeof lifecycle>) =>
      l.events.map((e) => describeEvent(e, l.run.child));
    expect(
      compiled.events.map((e) => e.type),
      `inspection events differ:\n${sideBySide(lines(xstate), lines(compiled))}`,
    ).toEqual(xstate.events.map((e) => e.type));
  });

  it('reports no events of its own unless told its system is inspected', () => {
    const { run, events } = lifecycle('compiled', false);
    expect(run.child.getSnapshot().status).toBe('done');
    // The parent's own events are there: the inspector is.
    expect(events.map((e) => e.type)).toContain('@xstate.snapshot');
    const child: unknown = run.child;
    const childs = events.filter(
      (e) => e.actorRef === child || ('sourceRef' in e && e.sourceRef === child),
    );
    expect(childs).toEqual([]);
  });
});
