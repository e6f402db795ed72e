// overseer/machines: the pure lifecycle machines, for inspecting, drawing and path-testing.

export type {
  AgentContext,
  AgentEmitted,
  AgentEvent,
  AgentMachine,
  AgentMachineInput,
  ChildExit,
} from './agent.js';
export { agentMachine } from './agent.js';
export type {
  AgentLimiterContext,
  AgentLimiterEmitted,
  AgentLimiterEvent,
  AgentLimiterInput,
  AgentLimiterMachine,
  AgentLimiterOptions,
  BreakerState,
  LimitChanged,
  LimiterSettings,
} from './agent-limiter.js';
export { agentLimiterMachine, limiterContextOf } from './agent-limiter.js';
export { agentLimiterInputProblems, DEFAULT_LIMITER_SETTINGS } from './agent-limiter-types.js';
export type { AimdSettings, AimdState, AttemptOutcome } from './aimd.js';
export {
  adaptLimit,
  BASELINE_FALL,
  decreasedLimit,
  increasedLimit,
  isSlow,
  nextBaselineMs,
} from './aimd.js';
export type { ChildDoneEvent, ChildErrorEvent } from './child-exit.js';
export { exitOf } from './child-exit.js';
export type { ChildSpec, RestartStrategy, RestartType } from './child-spec.js';
export { restartGroup, shouldRestart } from './child-spec.js';
export type { Resources } from './resources.js';
export { addResources, resourcesFit, subtractResources } from './resources.js';
export type { RestartIntensity } from './restart-intensity.js';
export { exceedsIntensity, otpRestartIntensity } from './restart-intensity.js';
export type { Backoff, RetryPolicy } from './retry-policy.js';
export {
  backoffDelayMs,
  baseBackoffMs,
  canRetry,
  defaultRetryPolicy,
  retryPolicyProblems,
} from './retry-policy.js';
export { nextRandom, seededRandom, seedFrom } from './seeded-random.js';
export type {
  RestartRecord,
  SupervisorContext,
  SupervisorEmitted,
  SupervisorEvent,
  SupervisorMachine,
  SupervisorMachineInput,
} from './supervisor.js';
export { supervisorMachine } from './supervisor.js';
export { supervisorTree } from './supervisor-tree.js';
export type { TaskContext, TaskEmitted, TaskEvent, TaskMachine, TaskMachineInput } from './task.js';
export { taskMachine } from './task.js';
export type { FailureCode, TaskError, TaskFailureKind } from './task-error.js';
export { FAILURE_CODES, isFailureCode } from './task-error.js';
export type {
  PlanCheckOptions,
  PlanProblem,
  PlanProblemKind,
  PlanStep,
  TeamPlan,
} from './team-plan.js';
export { planOrder, planProblems, teamPlanJsonSchema } from './team-plan.js';
export type {
  RunStep,
  StepRequest,
  TeamHistoryEntry,
  TeamRunEmitted,
  TeamRunEvent,
  TeamRunInput,
} from './team-run.js';
export { teamRunMachine } from './team-run.js';
