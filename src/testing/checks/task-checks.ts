// Invariants about each task's own life: 1 (exactly one end), 3 (attempts and backoff),
// 5 (dependencies first) and 6 (never started after its deadline).
import type { OverseerEvent, OverseerEventOf } from '../../core/system-events.js';
import { type CheckContext, type Violation, violation } from './violation.js';

const TERMINAL = new Set(['task.completed', 'task.failed', 'task.cancelled']);
const isTerminal = (
  e: OverseerEvent,
): e is OverseerEventOf<'task.completed' | 'task.failed' | 'task.cancelled'> =>
  TERMINAL.has(e.type);

export function noTaskLost(history: readonly OverseerEvent[], ctx: CheckContext): Violation[] {
  const ends = new Map<string, OverseerEvent[]>();
  for (const e of history)
    if (isTerminal(e)) ends.set(e.taskId, [...(ends.get(e.taskId) ?? []), e]);
  const out: Violation[] = [];
  for (const id of ctx.accepted) {
    const found = ends.get(id) ?? [];
    const submitted = history.find((e) => e.type === 'task.submitted' && e.taskId === id);
    if (found.length > 1)
      out.push(
        violation(1, 'no task lost', `task ${id} ended ${found.length} times`, [
          submitted,
          ...found,
        ]),
      );
    if (found.length === 0 && ctx.quiescent)
      out.push(
        violation(1, 'no task lost', `task ${id} never ended though the run was quiescent`, [
          submitted,
        ]),
      );
  }
  return out;
}

export function attemptsWithinPolicy(history: readonly OverseerEvent[]): Violation[] {
  const out: Violation[] = [];
  const policy = new Map<string, OverseerEventOf<'task.submitted'>>();
  const lastRetry = new Map<string, OverseerEventOf<'task.retrying'>>();
  const starts = new Map<string, number>();
  for (const e of history) {
    if (e.type === 'task.submitted') policy.set(e.taskId, e);
    else if (e.type === 'task.retrying') lastRetry.set(e.taskId, e);
    else if (e.type === 'task.started') {
      const n = (starts.get(e.taskId) ?? 0) + 1;
      starts.set(e.taskId, n);
      const submitted = policy.get(e.taskId);
      if (submitted && n > submitted.maxAttempts) {
        out.push(
          violation(
            3,
            'attempts within policy',
            `task ${e.taskId} started attempt ${n} of at most ${submitted.maxAttempts}`,
            [submitted, e],
          ),
        );
      }
      const retry = lastRetry.get(e.taskId);
      if (retry && e.at < retry.retryAt) {
        out.push(
          violation(
            3,
            'attempts within policy',
            `task ${e.taskId} restarted at ${e.at}, before its backoff ended at ${retry.retryAt}`,
            [retry, e],
          ),
        );
      }
    }
  }
  return out;
}

export function dependenciesFirst(history: readonly OverseerEvent[]): Violation[] {
  const out: Violation[] = [];
  const ended = new Map<string, OverseerEvent>();
  const deps = new Map<string, OverseerEventOf<'task.submitted'>>();
  for (const e of history) {
    if (e.type === 'task.submitted') deps.set(e.taskId, e);
    if (e.type === 'task.started') {
      const submitted = deps.get(e.taskId);
      for (const dep of submitted?.dependsOn ?? []) {
        const end = ended.get(dep);
        if (end?.type !== 'task.completed') {
          out.push(
            violation(
              5,
              'dependencies first',
              `task ${e.taskId} started before its dependency ${dep} completed`,
              [submitted, end, e],
            ),
          );
        }
      }
    }
    if (isTerminal(e)) {
      ended.set(e.taskId, e);
      const submitted = deps.get(e.taskId);
      for (const dep of submitted?.dependsOn ?? []) {
        const end = ended.get(dep);
        if (end && end.type !== 'task.completed' && e.type === 'task.completed') {
          out.push(
            violation(
              5,
              'dependencies first',
              `task ${e.taskId} completed though its dependency ${dep} did not`,
              [end, e],
            ),
          );
        }
      }
      if (e.type === 'task.failed' && e.error.kind === 'dependency') {
        const named = (e.error.details as { dependency?: string } | undefined)?.dependency;
        if (!named || !submitted?.dependsOn.includes(named)) {
          out.push(
            violation(
              5,
              'dependencies first',
              `task ${e.taskId} failed for a dependency it does not name`,
              [submitted, e],
            ),
          );
        }
      }
    }
  }
  return out;
}

/**
 * QoS expiry (docs/qos.md): a task predicted to finish past its due time (its deadline or
 * its class's SLO) fails before that time, on purpose, with the prediction in its details.
 */
function isExpiry(details: unknown): boolean {
  if (typeof details !== 'object' || details === null) return false;
  const { dueAt, predictedFinishAt } = details as { dueAt?: unknown; predictedFinishAt?: unknown };
  return (
    typeof dueAt === 'number' && typeof predictedFinishAt === 'number' && predictedFinishAt > dueAt
  );
}

export function noStartAfterDeadline(history: readonly OverseerEvent[]): Violation[] {
  const out: Violation[] = [];
  const deadlines = new Map<string, OverseerEventOf<'task.submitted'>>();
  for (const e of history) {
    if (e.type === 'task.submitted' && e.deadline !== undefined) deadlines.set(e.taskId, e);
    const submitted = 'taskId' in e ? deadlines.get(e.taskId) : undefined;
    if (!submitted || submitted.deadline === undefined) continue;
    if (e.type === 'task.started' && e.at > submitted.deadline) {
      out.push(
        violation(
          6,
          'deadline',
          `task ${e.taskId} started at ${e.at}, after its deadline ${submitted.deadline}`,
          [submitted, e],
        ),
      );
    }
    if (
      e.type === 'task.failed' &&
      e.error.kind === 'deadline' &&
      e.at < submitted.deadline &&
      !isExpiry(e.error.details)
    ) {
      out.push(
        violation(
          6,
          'deadline',
          `task ${e.taskId} failed its deadline ${submitted.deadline} early, at ${e.at}`,
          [submitted, e],
        ),
      );
    }
  }
  return out;
}
