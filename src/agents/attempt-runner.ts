// Runs one attempt of a task on an in-process agent: calls the handler (or the user's
// actor logic) with its context, validates the output against the task's schema, and
// reports the outcome to the task's machine. The agent slot is held until the handler
// settles, or until its agent is restarted because it ignored its abort signal.
import type { AnyActorRef } from 'xstate';
import type { TaskError } from '../../machines/task-error.js';
import { AgentCrash, NonRetryableError, OverseerError } from '../errors/index.js';
import type { Runtime } from '../system/runtime.js';
import type { TaskRecord } from '../tasks/task-record.js';
import { checkOutput } from '../validation/validate-output.js';
import type { BoundAgent } from './agent-pool.js';
import { Attempt } from './attempt.js';
import { handlerContext } from './handler-context.js';
import { runLogic } from './logic-handler.js';

type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

export class AttemptRunner {
  constructor(private readonly rt: Runtime) {}

  run(record: TaskRecord, agent: BoundAgent, taskActor: AnyActorRef): void {
    const { task } = record;
    const attempt = new Attempt(task.id, agent.agentId, record.attempts, record.requirement);
    record.attempt = attempt;
    agent.attempts.set(task.id, attempt);
    this.rt.agents.ensureHeartbeats(agent);
    const ctx = handlerContext(attempt, task.idempotencyKey, {
      events: this.rt.events,
      now: () => this.rt.clock.now(),
      heartbeat: () => this.rt.agents.heartbeat(agent),
      progress: (progress, note) => this.rt.tasks.reportProgress(attempt, progress, note),
    });
    const { handler, logic, runs } = agent.plan.declaration;
    let result: unknown;
    try {
      result =
        runs === 'thread' || runs === 'process'
          ? this.rt.threads.run(agent, task, attempt, ctx)
          : handler
            ? handler(task.input as never, ctx)
            : logic && runLogic(logic, task.input, attempt.signal, taskActor, `work:${task.id}`);
    } catch (error) {
      result = Promise.reject(error);
    }
    // Always settle on a later tick, so a synchronous handler cannot recurse through
    // dispatch into the next task's handler and grow the stack.
    Promise.resolve(result).then(
      (value) => this.#settle(attempt, agent, { ok: true, value }),
      (error: unknown) => this.#settle(attempt, agent, { ok: false, error }),
    );
  }

  /** The task's machine moved on (timeout, cancel): abort the handler, and give it a grace period. */
  abort(attempt: Attempt, reason: Error): void {
    if (attempt.settled || attempt.aborted) return;
    attempt.aborted = true;
    attempt.abortSignal(reason);
    const agent = this.rt.agents.get(attempt.agentId);
    if (!agent || agent.status === 'lost') return;
    const graceMs = this.rt.options.abortGraceMs;
    attempt.graceTimer = this.rt.clock.setTimeout(() => {
      attempt.graceTimer = undefined;
      if (attempt.settled || agent.status === 'lost') return;
      this.rt.agents.crash(
        agent,
        `handler of task ${attempt.taskId} ignored its abort signal for ${graceMs} ms`,
      );
    }, graceMs);
  }

  /** The agent is gone: the attempt's result no longer counts and its slot went with the agent. */
  abandon(attempt: Attempt, reason: string): void {
    if (attempt.graceTimer !== undefined) this.rt.clock.clearTimeout(attempt.graceTimer);
    attempt.graceTimer = undefined;
    if (attempt.aborted) return;
    attempt.aborted = true;
    attempt.abortSignal(new Error(reason));
  }

  #settle(attempt: Attempt, agent: BoundAgent, outcome: Outcome): void {
    if (attempt.settled) return;
    attempt.settled = true;
    if (attempt.graceTimer !== undefined) this.rt.clock.clearTimeout(attempt.graceTimer);
    if (!outcome.ok && outcome.error instanceof AgentCrash && !attempt.aborted) {
      // The agent declared itself broken: its loss reschedules this task too.
      this.rt.agents.crash(agent, outcome.error.message);
      return;
    }
    if (attempt.aborted || !outcome.ok) {
      this.rt.agents.releaseSlot(agent, attempt, false);
      if (!attempt.aborted && !outcome.ok) {
        this.rt.tasks.reportFailure(attempt, failureOf(outcome.error), retryableOf(outcome.error));
      }
      this.rt.agents.dispatch(agent);
      return;
    }
    const checked = checkOutput(this.rt.tasks.outputSchemaOf(attempt.taskId), outcome.value);
    if (!(checked instanceof Promise)) {
      this.#report(attempt, agent, checked);
      return;
    }
    checked.then(
      (result) => this.#report(attempt, agent, result),
      (error: unknown) =>
        this.#report(attempt, agent, { ok: false, issues: [{ message: String(error) }] }),
    );
  }

  #report(
    attempt: Attempt,
    agent: BoundAgent,
    checked: { ok: true; value: unknown } | { ok: false; issues: readonly { message: string }[] },
  ): void {
    this.rt.agents.releaseSlot(agent, attempt, checked.ok);
    if (checked.ok) {
      this.rt.tasks.reportOutput(attempt, checked.value);
    } else {
      const messages = checked.issues.map((issue) => issue.message).join('; ');
      this.rt.tasks.reportFailure(
        attempt,
        {
          kind: 'invalid-output',
          code: 'InvalidOutput',
          message: `output failed its schema: ${messages}`,
          details: { issues: checked.issues },
        },
        true,
      );
    }
    this.rt.agents.dispatch(agent);
  }
}

function failureOf(error: unknown): TaskError {
  if (error instanceof Error) {
    const code = error instanceof OverseerError ? error.code : error.name || 'Error';
    return { kind: 'error', code, message: error.message };
  }
  return { kind: 'error', code: 'Thrown', message: String(error) };
}

const retryableOf = (error: unknown) => !(error instanceof NonRetryableError);
