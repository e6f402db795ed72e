// The recent tasks' histories, kept by the dashboard from the system's events: each step
// its machine took (state, clock time, attempt, agent, error, output), for the task list
// and a task's detail. Bounded: the oldest task's trail goes when a new one would exceed
// the limit, so a long run costs the same memory as a short one.
import { STATE_AFTER } from '../../machines/task-states.js';
import type { OverseerEvent } from '../core/system-events.js';

/** One step of a task's life: the state its machine entered, and what came with it. */
export interface TrailStep {
  readonly state: string;
  /** Clock time, ms. */
  readonly at: number;
  readonly attempt: number;
  readonly agentId?: string;
  readonly error?: { readonly code: string; readonly message: string };
  /** The output of a completed task, as JSON text (cut at 2,000 characters). */
  readonly output?: string;
  readonly note?: string;
}

export interface TaskTrail {
  readonly id: string;
  readonly type: string;
  state: string;
  attempts: number;
  agentId: string | undefined;
  readonly submittedAt: number;
  updatedAt: number;
  readonly steps: TrailStep[];
}

/** The task's row in the list: its trail without the steps. */
export type TaskRow = Omit<TaskTrail, 'steps'>;

const MAX_STEPS = 64;
const MAX_OUTPUT = 2_000;

export class TaskTrails {
  readonly #trails = new Map<string, TaskTrail>();
  /** Trails changed since the last `takeChanged()`. */
  readonly #changed = new Set<TaskTrail>();

  constructor(private readonly limit: number) {}

  record(event: OverseerEvent): void {
    if (event.type === 'task.submitted') {
      this.#admit(event.taskId, event.taskType, event.at);
      return;
    }
    if (!(event.type in STATE_AFTER) || !('taskId' in event)) return;
    // An interrupted attempt puts the task back in the queue (its task.ready follows).
    const state: string = STATE_AFTER[event.type as keyof typeof STATE_AFTER] ?? 'interrupted';
    const trail = this.#trails.get(event.taskId);
    if (!trail) return;
    trail.state = state;
    trail.updatedAt = event.at;
    if ('attempt' in event && event.attempt > trail.attempts) trail.attempts = event.attempt;
    if ('agentId' in event && typeof event.agentId === 'string') trail.agentId = event.agentId;
    if (trail.steps.length < MAX_STEPS) trail.steps.push(stepOf(state, event));
    this.#changed.add(trail);
  }

  get(taskId: string): TaskTrail | undefined {
    return this.#trails.get(taskId);
  }

  /** The most recently submitted tasks whose id, type or state contains `query`, newest first. */
  search(query: string, limit: number): TaskRow[] {
    const q = query.trim().toLowerCase();
    const rows: TaskRow[] = [];
    const all = [...this.#trails.values()];
    for (let i = all.length - 1; i >= 0 && rows.length < limit; i--) {
      const trail = all[i] as TaskTrail;
      if (q === '' || matches(trail, q)) rows.push(rowOf(trail));
    }
    return rows;
  }

  /** Rows of the trails changed since the last call, newest change last. */
  takeChanged(): TaskRow[] {
    const rows = [...this.#changed].map(rowOf);
    this.#changed.clear();
    return rows;
  }

  #admit(id: string, type: string, at: number): void {
    const trail: TaskTrail = {
      id,
      type,
      state: 'submitted',
      attempts: 0,
      agentId: undefined,
      submittedAt: at,
      updatedAt: at,
      steps: [{ state: 'submitted', at, attempt: 0 }],
    };
    this.#trails.set(id, trail);
    this.#changed.add(trail);
    if (this.#trails.size > this.limit) {
      const oldest = this.#trails.values().next().value;
      if (oldest) {
        this.#trails.delete(oldest.id);
        this.#changed.delete(oldest);
      }
    }
  }
}

function stepOf(state: string, event: OverseerEvent): TrailStep {
  const attempt = 'attempt' in event ? event.attempt : 0;
  const agentId =
    'agentId' in event && typeof event.agentId === 'string' ? event.agentId : undefined;
  const step: { -readonly [K in keyof TrailStep]: TrailStep[K] } = { state, at: event.at, attempt };
  if (agentId !== undefined) step.agentId = agentId;
  if ('error' in event && event.error && typeof event.error === 'object') {
    const { code, message } = event.error as { code?: unknown; message?: unknown };
    step.error = { code: String(code ?? 'Error'), message: String(message ?? '') };
  }
  if (event.type === 'task.completed') step.output = outputText(event.output);
  if (event.type === 'task.cancelled' || event.type === 'task.interrupted')
    step.note = event.reason;
  return step;
}

/** `output` as JSON text for a step, cut at MAX_OUTPUT characters. */
export function outputText(output: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(output) ?? String(output);
  } catch {
    text = String(output);
  }
  return text.length > MAX_OUTPUT ? `${text.slice(0, MAX_OUTPUT)}…` : text;
}

const matches = (trail: TaskTrail, q: string) =>
  trail.id.toLowerCase().includes(q) ||
  trail.type.toLowerCase().includes(q) ||
  trail.state.includes(q) ||
  (trail.agentId?.toLowerCase().includes(q) ?? false);

function rowOf({ steps: _steps, ...row }: TaskTrail): TaskRow {
  return { ...row };
}
