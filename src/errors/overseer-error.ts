// overseer's error taxonomy. Every error a user can see is an OverseerError with a stable
// `code` (also its `_tag`, for matching), a message that names the offending field or id,
// and the cause attached where there is one.

export abstract class OverseerError extends Error {
  abstract readonly code: string;
  get _tag(): string {
    return this.code;
  }
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A task spec failed validation. `field` is the path of the first offending field. */
export class InvalidTaskSpec extends OverseerError {
  readonly code = 'InvalidTaskSpec';
  constructor(
    readonly field: string,
    readonly problem: string,
    readonly problems: readonly { field: string; problem: string }[] = [{ field, problem }],
  ) {
    super(`invalid task spec: ${field} ${problem}`);
  }
}

/** An agent or supervisor declaration failed validation. */
export class InvalidAgentDeclaration extends OverseerError {
  readonly code = 'InvalidAgentDeclaration';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`invalid agent declaration: ${field} ${problem}`);
  }
}

/** System options failed validation. */
export class InvalidSystemOptions extends OverseerError {
  readonly code = 'InvalidSystemOptions';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`invalid system options: ${field} ${problem}`);
  }
}

export class UnknownDependency extends OverseerError {
  readonly code = 'UnknownDependency';
  constructor(
    readonly taskId: string,
    readonly dependency: string,
  ) {
    super(
      `task ${taskId} depends on ${dependency}, which was never submitted or has finished and is no longer retained (retainFinished)`,
    );
  }
}

export class DependencyCycle extends OverseerError {
  readonly code = 'DependencyCycle';
  constructor(readonly cycle: readonly string[]) {
    super(`dependency cycle: ${cycle.join(' -> ')}`);
  }
}

/** No registered or declared agent offers a capability (or resource amount) the task needs. */
export class NoCapableAgent extends OverseerError {
  readonly code = 'NoCapableAgent';
  constructor(
    readonly taskId: string,
    readonly missing: string,
  ) {
    super(`no agent can run task ${taskId}: none offers ${missing}`);
  }
}

export class DeadlineInPast extends OverseerError {
  readonly code = 'DeadlineInPast';
  constructor(
    readonly deadline: number,
    readonly now: number,
  ) {
    super(`deadline ${deadline} is not after the current clock time ${now}`);
  }
}

/** The queue holds `capacity` unfinished tasks; try again after `retryAfterMs`. */
export class QueueFull extends OverseerError {
  readonly code = 'QueueFull';
  constructor(
    readonly capacity: number,
    readonly retryAfterMs: number,
  ) {
    super(`queue is at capacity (${capacity} unfinished tasks); retry after ${retryAfterMs} ms`);
  }
}

export class DuplicateTaskId extends OverseerError {
  readonly code = 'DuplicateTaskId';
  constructor(readonly taskId: string) {
    super(`a task with id ${taskId} was already submitted`);
  }
}

export class UnknownTask extends OverseerError {
  readonly code = 'UnknownTask';
  constructor(readonly taskId: string) {
    super(`no task with id ${taskId}`);
  }
}

/** The system is not accepting this call in its current phase (not started, draining, stopped). */
export class SystemNotRunning extends OverseerError {
  readonly code = 'SystemNotRunning';
  constructor(
    readonly operation: string,
    readonly phase: string,
  ) {
    super(`cannot ${operation}: the system is ${phase}`);
  }
}

export class UnknownAgent extends OverseerError {
  readonly code = 'UnknownAgent';
  constructor(readonly agentId: string) {
    super(`no agent with id ${agentId}`);
  }
}

/** No inspector server answered at `url` (not running, wrong port, refused). */
export class InspectorUnreachable extends OverseerError {
  readonly code = 'InspectorUnreachable';
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`cannot connect to the inspector at ${url}: ${reason}`);
  }
}

/** A port the caller asked to listen on is taken by another process. */
export class PortInUse extends OverseerError {
  readonly code = 'PortInUse';
  constructor(readonly port: number) {
    super(`port ${port} is in use: choose another with --port, or connect to a server with --url`);
  }
}

/** An exporter (e.g. `prometheusMetrics`) was given an option it cannot use; `field` names it. */
export class InvalidExporterOptions extends OverseerError {
  readonly code = 'InvalidExporterOptions';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`invalid exporter option ${field}: ${reason}`);
  }
}
