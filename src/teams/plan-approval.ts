// People in the loop: a team run that needs a person's approval (of its plan, or of steps
// about to run) waits in its machine's `awaitingApproval` state until `approve` answers, or
// until `timeoutMs` passes on the system clock (then the machine fails the run or proceeds,
// by `onTimeout`). The time an answer is due is kept, so a run resumed after a restart
// waits only for what is left of it.
import type { Actor } from 'xstate';
import type { TeamRunEvent, teamRunMachine } from '../../machines/team-run.js';
import type { SystemClock } from '../core/clock.js';
import type { TeamSpec } from './team-spec.js';

export interface ApprovalAnswer {
  readonly accept: boolean;
  /** Why, for a rejection: the planner's next round is told. */
  readonly feedback?: string;
}

export interface ApprovalWatch {
  /** Answers what waits for approval, if anything does (else it returns false). */
  approve(answer: ApprovalAnswer): boolean;
  /** Clock time the answer now awaited is due, when a timeout applies. */
  dueAt(): number | undefined;
  /** Clears the timer. */
  close(): void;
}

/** Arms the timeout on each approval request; `resumedDueAt` is the first one's due time. */
export function watchApproval(
  actor: Actor<typeof teamRunMachine>,
  clock: SystemClock,
  approval: TeamSpec['approval'],
  send: (event: TeamRunEvent) => void,
  resumedDueAt?: number,
): ApprovalWatch {
  let timer: unknown;
  let due: number | undefined;
  let carried = resumedDueAt;
  const { timeoutMs } = approval ?? {};
  actor.on('approval.requested', () => {
    clock.clearTimeout(timer);
    due = carried ?? (timeoutMs === undefined ? undefined : clock.now() + timeoutMs);
    carried = undefined;
    if (due !== undefined)
      timer = clock.setTimeout(
        () => send({ type: 'approval.timeout' }),
        Math.max(0, due - clock.now()),
      );
  });
  return {
    approve(answer) {
      if (!actor.getSnapshot().matches('awaitingApproval')) return false;
      clock.clearTimeout(timer);
      due = undefined;
      send({
        type: 'approval',
        accept: answer.accept,
        ...(answer.feedback === undefined ? {} : { feedback: answer.feedback }),
      });
      return true;
    },
    dueAt: () => due,
    close: () => clock.clearTimeout(timer),
  };
}
