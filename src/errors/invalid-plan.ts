import type { PlanProblem } from '../../machines/team-plan.js';
import { OverseerError } from './overseer-error.js';

/** A team's planner returned a plan that cannot run; `problems` names each at its JSON path. */
export class InvalidPlan extends OverseerError {
  readonly code = 'InvalidPlan';
  constructor(
    readonly problems: readonly PlanProblem[],
    options?: { cause?: unknown },
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const list = problems.map(({ path, problem }) => `\n  ${path} ${problem}`).join('');
    super(`invalid plan, ${count}:${list}`, options);
  }
}
