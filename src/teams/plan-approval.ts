// People in the loop: a team run whose plans need approval waits in its machine's
// `awaitingApproval` state until `approve` answers, or until `timeoutMs` passes on the
// system clock (then the machine fails the run or proceeds, by `onTimeout`).
import type { Actor } from 'xstate';
import type { TeamRunEvent, teamRunMachine } from '../../machines/team-run.js';
import type { SystemClock } from '../core/clock.js';
import type { TeamSpec } from './team-spec.js';

export interface ApprovalAnswer {
  readonly accept: boolean;
  /** Why, for a rejection: the planner's next round is told. */
  readonly feedback?: string;
}

/** The `approve` of a run: answers the plan waiting, if one is (else it returns false). */
export function watchApproval(
  actor: Actor<typeof teamRunMachine>,
  clock: SystemClock,
  approval: TeamSpec['approval'],
  send: (event: TeamRunEvent) => void,
): (answer: ApprovalAnswer) => boolean {
  let timer: unknown;
  const { timeoutMs } = approval ?? {};
  if (timeoutMs !== undefined)
    actor.on('approval.requested', () => {
      timer = clock.setTimeout(() => send({ type: 'approval.timeout' }), timeoutMs);
    });
  return (answer) => {
    if (!actor.getSnapshot().matches('awaitingApproval')) return false;
    clock.clearTimeout(timer);
    send({
      type: 'approval',
      accept: answer.accept,
      ...(answer.feedback === undefined ? {} : { feedback: answer.feedback }),
    });
    return true;
  };
}
