// Runs one attempt of a task on an agent: calls the handler (or the user's actor logic, or
// the agent's thread or process) with its context, validates the output against the
// task's schema, and reports how the attempt ended. The agent slot is held until the
// handler settles, or until its agent is restarted because it ignored its abort signal.

import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { TaskError } from '../../machines/task-error.js';
import type { SystemClock } from '../core/clock.js';
import type { EventStream } from '../core/event-stream.js';
import { failureOf, isRetryable } from '../errors/failure-of.js';
import { AgentCrash } from '../errors/index.js';
import type { AgentHosts } from '../isolation/agent-hosts.js';
import { asParent, type TaskActor } from '../tasks/task-actors.js';
import type { TaskRecord } from '../tasks/task-record.js';
import { ToolSet } from '../tools/tool-set.js';
import { checkOutput } from '../validation/validate-output.js';
import { Attempt } from './attempt.js';
import type { BoundAgent } from './bound-agent.js';
import { AttemptContext, type ContextSinks } from './handler-context.js';
import { runLogic } from './logic-handler.js';

/** How an attempt ended, as the dispatcher hears it. */
export type AttemptEnd =
  | { readonly kind: 'output'; readonly value: unknown }
  | { readonly kind: 'failure'; readonly error: TaskError; readonly retryable: boolean }
  /** The task no longer waited for it (timeout, cancel, lost agent, shutdown). */
  | { readonly kind: 'aborted' };

export interface AttemptRunnerSettings {
  readonly clock: SystemClock;
  readonly events: EventStream;
  readonly hosts: AgentHosts;
  readonly abortGraceMs: number;
  /** Result schemas by task type, for tasks without their own `outputSchema`. */
  readonly outputSchemas?: ReadonlyMap<string, StandardSchemaV1>;
  /** The system's tools, which handlers call through `ctx.tools`. Default none. */
  readonly tools?: ToolSet | undefined;
  heartbeat(agent: BoundAgent): void;
  crash(agent: BoundAgent, message: string): void;
  progress(attempt: Attempt, progress: number, note: string | undefined): void;
  ended(attempt: Attempt, agent: BoundAgent, end: AttemptEnd): void;
}

export class AttemptRunner {
  readonly #sinks: ContextSinks;

  constructor(private readonly s: AttemptRunnerSettings) {
    const tools =
      s.tools ?? new ToolSet({}, { clock: s.clock, events: s.events, random: Math.random });
    this.#sinks = {
      events: s.events,
      now: () => s.clock.now(),
      heartbeat: (agent) => s.heartbeat(agent),
      progress: (attempt, progress, note) => s.progress(attempt, progress, note),
      tools: (granted, caller) => tools.forAttempt(granted, caller),
    };
  }

  run(record: TaskRecord, agent: BoundAgent, taskActor: TaskActor): Attempt {
    const { task } = record;
    const attempt = new Attempt(task.id, agent.agentId, record.attempts, record.requirement);
    record.attempt = attempt;
    const ctx = new AttemptContext(attempt, task.idempotencyKey, agent, this.#sinks);
    const { handler, logic, runs } = agent.plan.declaration;
    let result: unknown;
    try {
      result =
        runs !== undefined && runs !== 'inline'
          ? this.s.hosts.run(agent, task, attempt, ctx)
          : handler
            ? handler(task.input as never, ctx)
            : logic && runLogic(logic, task.input, attempt.signal, asParent(taskActor));
    } catch (error) {
      result = Promise.reject(error);
    }
    const schema = task.outputSchema ?? this.s.outputSchemas?.get(task.type);
    // Always settle on a later tick, so a synchronous handler cannot recurse through
    // dispatch into the next task's handler and grow the stack.
    Promise.resolve(result).then(
      (value) => this.#settle(attempt, agent, schema, true, value),
      (error: unknown) => this.#settle(attempt, agent, schema, false, error),
    );
    return attempt;
  }

  /** The task's machine moved on (timeout, cancel): abort the handler, and give it a grace period. */
  abort(attempt: Attempt, agent: BoundAgent | undefined, reason: Error): void {
    if (attempt.settled || attempt.aborted) return;
    attempt.aborted = true;
    attempt.abortSignal(reason);
    if (!agent || agent.gone) return;
    const graceMs = this.s.abortGraceMs;
    attempt.graceTimer = this.s.clock.setTimeout(() => {
      attempt.graceTimer = undefined;
      if (attempt.settled || agent.gone) return;
      this.s.crash(
        agent,
        `handler of task ${attempt.taskId} ignored its abort signal for ${graceMs} ms`,
      );
    }, graceMs);
  }

  /** The agent is gone: the attempt's result no longer counts and its slot went with the agent. */
  abandon(attempt: Attempt, reason: string): void {
    if (attempt.graceTimer !== undefined) this.s.clock.clearTimeout(attempt.graceTimer);
    attempt.graceTimer = undefined;
    if (attempt.aborted) return;
    attempt.aborted = true;
    attempt.abortSignal(new Error(reason));
  }

  #settle(
    attempt: Attempt,
    agent: BoundAgent,
    schema: StandardSchemaV1 | undefined,
    ok: boolean,
    /** The handler's value, or what it threw (`ok` false). */
    outcome: unknown,
  ): void {
    if (attempt.settled) return;
    attempt.settled = true;
    if (attempt.graceTimer !== undefined) this.s.clock.clearTimeout(attempt.graceTimer);
    if (!ok && outcome instanceof AgentCrash && !attempt.aborted) {
      // The agent declared itself broken: its loss reschedules this task too.
      this.s.crash(agent, outcome.message);
      return;
    }
    if (attempt.aborted) {
      this.s.ended(attempt, agent, { kind: 'aborted' });
      return;
    }
    if (!ok) {
      const error = failureOf(outcome);
      this.s.ended(attempt, agent, { kind: 'failure', error, retryable: isRetryable(outcome) });
      return;
    }
    if (!schema) {
      // No schema: the value is the output (no check object to build).
      this.s.ended(attempt, agent, { kind: 'output', value: outcome });
      return;
    }
    const checked = checkOutput(schema, outcome);
    if (!(checked instanceof Promise)) {
      this.#checked(attempt, agent, checked);
      return;
    }
    checked.then(
      (result) => this.#checked(attempt, agent, result),
      (error: unknown) =>
        this.#checked(attempt, agent, { ok: false, issues: [{ message: String(error) }] }),
    );
  }

  #checked(
    attempt: Attempt,
    agent: BoundAgent,
    checked: { ok: true; value: unknown } | { ok: false; issues: readonly { message: string }[] },
  ): void {
    if (checked.ok) {
      this.s.ended(attempt, agent, { kind: 'output', value: checked.value });
      return;
    }
    const messages = checked.issues.map((issue) => issue.message).join('; ');
    const error: TaskError = {
      kind: 'invalid-output',
      code: 'InvalidOutput',
      message: `output failed its schema: ${messages}`,
      details: { issues: checked.issues },
    };
    this.s.ended(attempt, agent, { kind: 'failure', error, retryable: true });
  }
}
