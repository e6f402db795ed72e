// What a model planning a team run is told: the rules of a plan (machines/team-plan.ts) and,
// each round, the goal, the workers it may use and what was wrong with its last plans.

/** The planner's task input, as a team run sends it (`team.plan`, docs/teams.md). */
export interface PlannerInput {
  readonly goal: unknown;
  /** 1 for the first plan. */
  readonly round: number;
  /** Failures of the previous round, or problems of the last invalid plan. */
  readonly feedback?: readonly string[];
  /** The capabilities a step may ask for; absent when any capability an agent offers will do. */
  readonly workers?: readonly string[];
}

/** The system prompt of `teamPlanner` unless its `system` option replaces it. */
export const PLANNER_SYSTEM = [
  'You plan work for a team of workers. Break the goal into steps.',
  'Each step has a unique id, the capability of the worker that does it, an optional input',
  'handed to that worker as is, and optional dependsOn: ids of steps that must finish first.',
  'Steps must not depend on themselves or form a cycle. Reply with the plan as JSON only:',
  '{ "steps": [{ "id", "capability", "input"?, "dependsOn"? }], "note"? }.',
].join(' ');

/** The user message of one planning round. */
export function plannerMessage(input: PlannerInput): string {
  const lines = [`Goal: ${JSON.stringify(input.goal)}`, `Round: ${input.round}`];
  lines.push(
    input.workers && input.workers.length > 0
      ? `A step's capability must be one of: ${input.workers.join(', ')}.`
      : 'Any capability the team offers may be used.',
  );
  const feedback = input.feedback ?? [];
  if (feedback.length > 0)
    lines.push('What was wrong before, to fix in this plan:', ...feedback.map((f) => `- ${f}`));
  lines.push('Reply with the plan as JSON.');
  return lines.join('\n');
}
