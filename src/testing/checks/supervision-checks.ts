// Invariants about failure handling: 7 (restart intensity) and 8 (a failed agent's tasks
// are rescheduled at once), and 10 (bad input yields typed errors only).

import type { OverseerEvent, OverseerEventOf } from '../../core/system-events.js';
import { OverseerError } from '../../errors/index.js';
import { type CheckContext, type Violation, violation } from './violation.js';

/**
 * More than `maxRestarts` restart incidents (restarts at one instant count once: a
 * one_for_all restart restarts many agents) within `periodMs` under one supervisor must
 * end in that supervisor's escalation. Checked for supervisors without nested ones.
 */
export function restartIntensity(
  history: readonly OverseerEvent[],
  ctx: CheckContext & { intensity?: { maxRestarts: number; periodMs: number } },
): Violation[] {
  const intensity = ctx.intensity;
  if (!intensity) return [];
  const out: Violation[] = [];
  const incidents = new Map<string, OverseerEventOf<'agent.restarted'>[]>();
  const escalated = history.filter(
    (e): e is OverseerEventOf<'supervisor.escalated'> => e.type === 'supervisor.escalated',
  );
  for (const e of history) {
    if (e.type !== 'agent.restarted') continue;
    const list = incidents.get(e.supervisorId) ?? [];
    if (list.at(-1)?.at !== e.at) list.push(e);
    incidents.set(e.supervisorId, list);
    const window = list.filter((r) => r.at > e.at - intensity.periodMs);
    if (
      window.length > intensity.maxRestarts &&
      !escalated.some((x) => x.supervisorId === e.supervisorId && x.at <= e.at)
    ) {
      out.push(
        violation(
          7,
          'restart intensity',
          `supervisor ${e.supervisorId} restarted ${window.length} times within ${intensity.periodMs} ms (at most ${intensity.maxRestarts})`,
          window,
        ),
      );
      return out;
    }
  }
  return out;
}

export function lostAgentsTasksRescheduled(history: readonly OverseerEvent[]): Violation[] {
  const out: Violation[] = [];
  // The first end of each attempt (a retry, then a later failure, share an attempt number).
  const ends = new Map<string, OverseerEvent>();
  for (const e of history) {
    const ended =
      e.type === 'task.retrying' ||
      e.type === 'task.completed' ||
      e.type === 'task.failed' ||
      e.type === 'task.cancelled';
    if (ended && !ends.has(`${e.taskId}#${e.attempt}`)) ends.set(`${e.taskId}#${e.attempt}`, e);
  }
  // Second pass: every attempt running on an agent when it failed must end by that tick.
  const live = new Map<string, OverseerEventOf<'task.started'>>();
  for (const e of history) {
    if (e.type === 'task.started') live.set(e.taskId, e);
    else if (
      'taskId' in e &&
      (e.type === 'task.retrying' ||
        e.type === 'task.completed' ||
        e.type === 'task.failed' ||
        e.type === 'task.cancelled')
    )
      live.delete(e.taskId);
    else if (e.type === 'agent.failed') {
      for (const started of live.values()) {
        if (started.agentId !== e.agentId) continue;
        const end = ends.get(`${started.taskId}#${started.attempt}`);
        if (!end || end.at > e.at) {
          out.push(
            violation(
              8,
              'lost agent rescheduled',
              `task ${started.taskId} was still held by failed agent ${e.agentId} after ${e.at}`,
              [started, e, end],
            ),
          );
        }
      }
    }
  }
  return out;
}

export function typedRejections(
  _history: readonly OverseerEvent[],
  ctx: CheckContext,
): Violation[] {
  return ctx.rejected
    .filter(
      ({ error }) =>
        !(error instanceof OverseerError) || error.code.length === 0 || error.message.length === 0,
    )
    .map(({ error }) =>
      violation(
        10,
        'typed errors',
        `a submission was refused with an untyped error: ${String(error)}`,
        [],
      ),
    );
}
