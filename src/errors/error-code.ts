// Every code an OverseerError can carry: one per class in this folder. A caller matches
// on `code` (or `_tag`); the union makes a misspelled code a type error, and the list
// lets a test check the catalogue at run time.

export const ERROR_CODES = [
  // Refused input: specs, declarations, options, workload files.
  'InvalidTaskSpec',
  'InvalidAgentDeclaration',
  'InvalidSystemOptions',
  'InvalidExporterOptions',
  'InvalidDashboardOptions',
  'WorkloadError',
  // Refused submissions and calls.
  'UnknownDependency',
  'DependencyCycle',
  'NoCapableAgent',
  'DeadlineInPast',
  'QueueFull',
  'Overloaded',
  'DuplicateTaskId',
  'UnknownTask',
  'UnknownAgent',
  'SystemNotRunning',
  // How a task ended, and what a handler throws to steer what happens next.
  'TaskFailed',
  'TaskCancelled',
  'NonRetryable',
  'AgentCrash',
  'AttemptAborted',
  // Tool calls from handlers.
  'ToolNotGranted',
  'ToolInputInvalid',
  'ToolOutputInvalid',
  'ToolTimedOut',
  'ToolRateLimited',
  // Isolated agents.
  'ProtocolError',
  // Stores.
  'StoreSchemaTooNew',
  'ForeignStoreFile',
  'CorruptStoreRecord',
  'InvalidStoreRecord',
  'RecordShapeError',
  'TaskAlreadyTerminal',
  'StoreOpenFailed',
  'StoreWriteFailed',
  'StoreClosed',
  'StoreInUse',
  'StoreDeposed',
  'PoolerUnsupported',
  // The cluster.
  'SubmissionRefused',
  // Listeners the user gave, and events iterators.
  'ListenerFailed',
  'EventsOverflowed',
  // The command line and the inspector.
  'InspectorUnreachable',
  'PortInUse',
  // Machines the runtime compiles.
  'UnsupportedMachineFeature',
  // Agent teams.
  'TeamRunFailed',
  'InvalidPlan',
  'StaleState',
  'InvalidRunRecord',
  'InvalidTeamModule',
  'UnknownTeamRun',
  // Model adapters (overseer/openai).
  'ModelReplyInvalid',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
