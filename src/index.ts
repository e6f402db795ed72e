// overseer's public API. Everything not exported here is internal and may change.
export * from '../machines/index.js';
export type { OverloadPolicy, QosClass, QosOptions } from '../machines/qos-classes.js';
export type {
  AgentDeclaration,
  HandlerContext,
  SupervisorDeclaration,
  TaskHandler,
} from './agents/agent-declaration.js';
export type { AgentStatus } from './agents/agent-registry.js';
export type { EvalReport, TeamModule, TeamUnderTest } from './cli/eval-command.js';
export type { AgentNode, NodeOptions, NodeStats } from './cluster/agent-node.js';
export { startNode } from './cluster/agent-node.js';
export type { RemoteBatch } from './cluster/client-batches.js';
export type { ClusterClient, ClusterClientOptions, RemoteTask } from './cluster/cluster-client.js';
export { connectCluster } from './cluster/cluster-client.js';
export type { TaskEnded } from './cluster/ended-feed.js';
export type { Leadership, LeadOptions } from './cluster/leadership.js';
export { lead } from './cluster/leadership.js';
export type { TaskProgress } from './cluster/progress-feed.js';
export type { RemoteTaskStatus, RemoteTaskTaken } from './cluster/remote-status.js';
export type { Intake } from './cluster/submission-intake.js';
export { takeSubmissions } from './cluster/submission-intake.js';
export type { SystemClock } from './core/clock.js';
export { realClock } from './core/clock.js';
export type { ListenerErrorHandler } from './core/listener-faults.js';
export type {
  OverseerEvent,
  OverseerEventOf,
  OverseerEventType,
  ToolOutcome,
} from './core/system-events.js';
export * from './errors/index.js';
export type { AgentLimit } from './observability/agent-limits.js';
export type { ClassOutcome } from './observability/class-outcomes.js';
export type {
  InspectorSocket,
  InspectorSocketOptions,
} from './observability/inspector-socket.js';
export { connectInspector } from './observability/inspector-socket.js';
export type { LogFn, Logger } from './observability/logger.js';
export { silentLogger } from './observability/logger.js';
export type {
  HistogramSnapshot,
  LatencyObservation,
  MetricsSnapshot,
} from './observability/metrics.js';
export type { ToolFigures } from './observability/tool-metrics.js';
export * from './store/index.js';
export { createSystem } from './system/create-system.js';
export type { AgentPlacement } from './system/operator-controls.js';
export type { OverseerSystem } from './system/overseer-system.js';
export type { Inspect, SystemOptions } from './system/system-options.js';
export type { SystemPhase } from './system/system-phase.js';
export type { SystemStats } from './system/system-stats.js';
export type { BatchHandle, BatchOptions, BatchProgress } from './tasks/task-batch.js';
export type { TaskHandle, TaskState, TaskStatus } from './tasks/task-record.js';
export type { TaskSpec } from './tasks/task-spec.js';
export { jsonLinesRecorder, readRunRecords } from './teams/json-lines.js';
export type { ApprovalAnswer } from './teams/plan-approval.js';
export type {
  StampedHistoryEntry,
  StepRunRecord,
  StepToolCall,
  TeamRunRecord,
} from './teams/run-record.js';
export type { TeamDefinition } from './teams/run-team.js';
export { resumeTeam, runTeam } from './teams/run-team.js';
export type {
  FreshStateOptions,
  StatePatch,
  StateSnapshot,
  StateWrite,
  VersionedState,
} from './teams/shared-state.js';
export { SharedState, withFreshState } from './teams/shared-state.js';
export { approveTeamRun, storedTeamRuns, teamRuns } from './teams/team-registry.js';
export type { TeamEvent, TeamResult, TeamRun } from './teams/team-run-handle.js';
export type { StoredTeamRunInfo } from './teams/team-saving.js';
export type { TeamApproval, TeamSpec, TeamState } from './teams/team-spec.js';
export type { StepProgress } from './teams/team-tasks.js';
export type { Verdict } from './teams/verdict.js';
export type { ToolBox, ToolCall, ToolCalls } from './tools/tool-calls.js';
export type {
  ToolCallContext,
  ToolDeclaration,
  ToolDeclarations,
} from './tools/tool-declaration.js';
export { defineTool } from './tools/tool-declaration.js';
