// What a team run's machine asks for, carried out as ordinary tasks: the planner's, each
// step run's and each verdict's, routed by capability (so scheduling, retries, heartbeats,
// supervision, QoS and metrics apply). Their results go back to the machine as events: a
// plan checked against the plan schema, a step's output checked against its capability's
// schema (with the shared-state write it makes), a verdict.
//
// Each task's idempotency key names the run, round and run of the step it does, so a run
// resumed after a restart asks again for what it waited for and gets the same tasks back
// (finished ones with their stored results), never a second run of the same work.
import type { Actor } from 'xstate';
import { planProblems } from '../../machines/team-plan.js';
import type { RunStep, TeamRunEvent, teamRunMachine } from '../../machines/team-run.js';
import { TaskCancelled } from '../errors/index.js';
import type { OverseerSystem } from '../system/overseer-system.js';
import type { TaskHandle } from '../tasks/task-record.js';
import type { TaskSpec } from '../tasks/task-spec.js';
import type { RunTrace } from './run-record.js';
import { fitSchema, type TeamSpec } from './team-spec.js';
import { verdictOf } from './verdict.js';

/** A step run's progress report (`ctx.progress(fraction, note)`): the note is partial output. */
export interface StepProgress {
  readonly kind: 'step.progress';
  readonly stepId: string;
  readonly run: number;
  readonly progress: number;
  readonly note?: string;
}

export interface TeamTasks {
  /** Cancels every task of the run still going. */
  cancelLive(reason: string): void;
  /** Stops listening to the system. */
  close(): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

interface Settings {
  readonly runId: string;
  readonly goal: unknown;
  readonly qos: string | undefined;
  readonly deadline: number | undefined;
}

/** Hears what `actor` asks for and submits the tasks that do it. */
export function teamTasks(
  system: OverseerSystem,
  actor: Actor<typeof teamRunMachine>,
  team: TeamSpec,
  settings: Settings,
  io: {
    send(event: TeamRunEvent): void;
    progress(event: StepProgress): void;
    trace: RunTrace | undefined;
  },
): TeamTasks {
  const { runId, goal } = settings;
  const { send, trace } = io;
  const live = new Set<string>();
  const stepOfTask = new Map<string, { stepId: string; run: number }>();
  // The id is the key too, so a step's task is known (for its progress) before it starts.
  const common = (type: string, capability: string, key: string, input: unknown): TaskSpec => ({
    id: `${runId}/${key}`,
    type,
    capabilities: [capability],
    input,
    idempotencyKey: `${runId}/${key}`,
    ...(settings.qos === undefined ? {} : { qos: settings.qos }),
    ...(settings.deadline === undefined ? {} : { deadline: settings.deadline }),
  });
  /** Submits the task and hands its end to `then`; the run's own cancel is not news. */
  const task = (
    spec: TaskSpec,
    then: (outcome: Outcome) => void,
    submitted?: (handle: TaskHandle) => void,
  ) => {
    system.submit(spec).then(
      (handle) => {
        live.add(handle.id);
        submitted?.(handle);
        handle
          .result()
          .then(
            (value) => then({ ok: true, value }),
            (error: unknown) => {
              if (!(error instanceof TaskCancelled && actor.getSnapshot().status !== 'active'))
                then({ ok: false, error: messageOf(error) });
            },
          )
          .finally(() => {
            live.delete(handle.id);
            stepOfTask.delete(handle.id);
          });
      },
      (error: unknown) => then({ ok: false, error: messageOf(error) }),
    );
  };
  const capabilities = team.workers === undefined ? undefined : new Set(team.workers);

  actor.on('planner.requested', ({ round, attempt, feedback }) =>
    task(
      common('team.plan', team.planner, `plan/${round}.${attempt}`, {
        goal,
        round,
        feedback,
        workers: team.workers,
      }),
      (o) => {
        if (!o.ok) return send({ type: 'planner.failed', error: o.error });
        const problems = planProblems(o.value, capabilities ? { capabilities } : {});
        if (problems.length > 0)
          return send({
            type: 'plan.invalid',
            problems: problems.map((p) => `${p.path}: ${p.problem}`),
          });
        send({ type: 'plan.ready', steps: stepsOf(o.value) });
      },
    ),
  );
  actor.on('step.requested', ({ round, requests }) => {
    for (const { step, run, feedback, inputs, state } of requests) {
      const key = `step/${round}/${step.id}/${run}`;
      stepOfTask.set(`${runId}/${key}`, { stepId: step.id, run });
      task(
        common('team.step', step.capability, key, {
          goal,
          step: step.id,
          input: step.input,
          inputs,
          feedback,
          run,
          ...(state === undefined ? {} : { state }),
        }),
        async (o) => {
          if (!o.ok) return send({ type: 'step.failed', stepId: step.id, error: o.error });
          const schema = team.outputs?.[step.capability];
          const fit = schema
            ? await fitSchema(schema, o.value)
            : { ok: true as const, value: o.value };
          if (!fit.ok) return send({ type: 'step.invalid', stepId: step.id, issues: fit.issues });
          const write = writeOf(team, step, fit.value, state?.value);
          if ('error' in write) return send({ type: 'step.failed', stepId: step.id, ...write });
          send({ type: 'step.output', stepId: step.id, output: fit.value, ...write });
        },
        (handle) => trace?.stepTask(step.id, handle),
      );
    }
  });
  actor.on('validator.requested', ({ round, items }) => {
    for (const { step, run, output } of items)
      task(
        common('team.validate', team.validator, `verdict/${round}/${step.id}/${run}`, {
          goal,
          step,
          output,
        }),
        (o) => {
          const verdict = o.ok ? verdictOf(o.value) : { error: o.error };
          if ('error' in verdict) return send({ type: 'validator.failed', error: verdict.error });
          send({ type: 'verdict', stepId: step.id, ...verdict });
        },
      );
  });
  const off = system.on('task.progress', ({ taskId, progress, note }) => {
    const of = stepOfTask.get(taskId);
    if (of) io.progress({ kind: 'step.progress', ...of, progress, ...(note ? { note } : {}) });
  });
  return {
    cancelLive(reason) {
      for (const id of live) system.cancel(id, reason);
    },
    close() {
      off();
      stepOfTask.clear();
    },
  };
}

/** What the output writes on the shared state, by its capability's `writes` function. */
function writeOf(
  team: TeamSpec,
  step: RunStep,
  output: unknown,
  read: Readonly<Record<string, unknown>> | undefined,
): { write?: Record<string, unknown> } | { error: string } {
  const write = team.state?.writes?.[step.capability];
  if (write === undefined || read === undefined) return {};
  try {
    const fields = write(output, read);
    if (fields === undefined) return {};
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
      return { error: `state.writes.${step.capability} must return an object of fields` };
    return { write: fields };
  } catch (error) {
    return { error: `state.writes.${step.capability} threw: ${messageOf(error)}` };
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A checked plan's steps as the machine keeps them. */
function stepsOf(plan: unknown): RunStep[] {
  const { steps } = plan as {
    steps: { id: string; capability: string; input?: unknown; dependsOn?: string[] }[];
  };
  return steps.map((s) => ({
    id: s.id,
    capability: s.capability,
    input: s.input,
    dependsOn: s.dependsOn ?? [],
  }));
}
