// The names of a task's lifecycle states: the leaf states of the task machine, spelled once
// here. Records, metrics, stores and exporters derive their lists from this one; a test
// checks it against the machine's own state nodes.
import type { StateValue } from 'xstate';
import type { TaskEmitted } from './task-types.js';

export const TASK_STATES = [
  'blocked',
  'ready',
  'assigned',
  'running',
  'retrying',
  'completed',
  'failed',
  'cancelled',
] as const;

export type TaskState = (typeof TASK_STATES)[number];

/** The final states: a task in one of them never changes again. */
export const TERMINAL_TASK_STATES = ['completed', 'failed', 'cancelled'] as const;
export type TerminalTaskState = (typeof TERMINAL_TASK_STATES)[number];

/** The states of a task that is still in the system's hands (queue depth). */
export const UNFINISHED_TASK_STATES = [
  'blocked',
  'ready',
  'assigned',
  'running',
  'retrying',
] as const;
export type UnfinishedTaskState = (typeof UNFINISHED_TASK_STATES)[number];

const terminal: ReadonlySet<string> = new Set(TERMINAL_TASK_STATES);
export const isTerminal = (state: string): state is TerminalTaskState => terminal.has(state);

const known: ReadonlySet<string> = new Set(TASK_STATES);
export const isTaskState = (value: unknown): value is TaskState =>
  typeof value === 'string' && known.has(value);

/**
 * The state name of a task machine snapshot's value: `{ pending: 'ready' }` is `ready`;
 * `{ running: 'timed' }` is `running` (the phases of running and retrying are not states
 * of the task's lifecycle, only of its timers).
 */
export function taskStateOf(value: StateValue): TaskState {
  let leaf: unknown = value;
  if (typeof value !== 'string')
    for (const top in value) {
      leaf = top === 'pending' ? value[top] : top;
      break;
    }
  if (!isTaskState(leaf)) throw new Error(`not a task state: ${JSON.stringify(value)}`);
  return leaf;
}

/**
 * The state a task's machine is in right after it emitted `type`: each emitted lifecycle
 * event marks the entry of one state (`task.interrupted` is followed by `task.ready`).
 */
export const STATE_AFTER = {
  'task.ready': 'ready',
  'task.assigned': 'assigned',
  'task.started': 'running',
  'task.retrying': 'retrying',
  'task.completed': 'completed',
  'task.failed': 'failed',
  'task.cancelled': 'cancelled',
  'task.interrupted': undefined,
} as const satisfies Record<TaskEmitted['type'], TaskState | undefined>;
