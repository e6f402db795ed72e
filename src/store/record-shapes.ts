// Reads a record from plain data, checking its shape and keeping only the fields a record
// has. Both stores pass every record through here, on the way in (so a caller's extra
// fields, such as an output schema, never reach storage) and, in SQLite, on the way out
// (so corrupt data is named instead of misread).

import type { TaskError } from '../../machines/task-error.js';
import { UNFINISHED_TASK_STATES } from '../../machines/task-states.js';
import { InvalidStoreRecord, RecordShapeError } from '../errors/index.js';
import type {
  ActiveTaskState,
  AgentLifecycleRecord,
  StoredTaskSpec,
  TaskLifecycleRecord,
} from './store-records.js';

type Fields = Readonly<Record<string, unknown>>;

const fail = (problem: string): never => {
  throw new RecordShapeError(problem);
};
const describe = (value: unknown) => (Array.isArray(value) ? 'array' : typeof value);

function fields(value: unknown, name: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`${name} must be an object, got ${value === null ? 'null' : describe(value)}`);
  }
  return value as Fields;
}
function text(o: Fields, key: string): string {
  const value = o[key];
  return typeof value === 'string' ? value : fail(`${key} must be a string`);
}
function count(o: Fields, key: string): number {
  const value = o[key];
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : fail(`${key} must be a number`);
}
function maybe<T>(o: Fields, key: string, read: (o: Fields, key: string) => T): T | undefined {
  return o[key] === undefined || o[key] === null ? undefined : read(o, key);
}
function texts(o: Fields, key: string): readonly string[] {
  const value = o[key];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    return fail(`${key} must be an array of strings`);
  }
  return value as string[];
}
function amounts(o: Fields, key: string): Readonly<Record<string, number>> {
  const value = fields(o[key], key);
  for (const name in value)
    if (typeof value[name] !== 'number') fail(`${key}.${name} must be a number`);
  return value as Record<string, number>;
}

const ACTIVE: readonly string[] = UNFINISHED_TASK_STATES;

function taskError(value: unknown, name: string): TaskError {
  const o = fields(value, name);
  const error = { kind: text(o, 'kind'), code: text(o, 'code'), message: text(o, 'message') };
  return (o.details === undefined ? error : { ...error, details: o.details }) as TaskError;
}

/** A spec with exactly the stored fields; `outputSchema` and unknown fields are dropped. */
export function storedSpecOf(value: unknown): StoredTaskSpec {
  const o = fields(value, 'spec');
  const retry = fields(o.retry, 'spec.retry');
  count(retry, 'maxAttempts');
  fields(retry.backoff, 'spec.retry.backoff');
  return {
    id: text(o, 'id'),
    type: text(o, 'type'),
    input: o.input,
    priority: count(o, 'priority'),
    capabilities: texts(o, 'capabilities'),
    resources: amounts(o, 'resources'),
    dependsOn: texts(o, 'dependsOn'),
    deadline: maybe(o, 'deadline', count),
    timeoutMs: maybe(o, 'timeoutMs', count),
    retry: retry as unknown as StoredTaskSpec['retry'],
    idempotencyKey: maybe(o, 'idempotencyKey', text),
    qos: text(o, 'qos'),
    metadata: fields(o.metadata ?? {}, 'spec.metadata'),
  };
}

function attemptFields(o: Fields) {
  const agentId = maybe(o, 'agentId', text);
  return {
    taskId: text(o, 'taskId'),
    at: count(o, 'at'),
    attempt: count(o, 'attempt'),
    ...(agentId === undefined ? {} : { agentId }),
  };
}

/** The task record `value` holds; throws RecordShapeError naming the first bad field. */
export function readTaskRecord(value: unknown): TaskLifecycleRecord {
  const o = fields(value, 'record');
  const kind = o.kind;
  switch (kind) {
    case 'task.submitted': {
      const record = { kind, taskId: text(o, 'taskId'), at: count(o, 'at') };
      const spec = storedSpecOf(o.spec);
      if (spec.id !== record.taskId) fail(`spec.id ${spec.id} differs from taskId`);
      return { ...record, spec };
    }
    case 'task.transition': {
      const state = text(o, 'state');
      if (!ACTIVE.includes(state)) fail(`state must be one of ${ACTIVE.join(', ')}, got ${state}`);
      const retryAt = maybe(o, 'retryAt', count);
      return {
        kind,
        ...attemptFields(o),
        state: state as ActiveTaskState,
        ...(retryAt === undefined ? {} : { retryAt }),
        ...(o.error === undefined || o.error === null
          ? {}
          : { error: taskError(o.error, 'error') }),
        ...(o.snapshot === undefined ? {} : { snapshot: o.snapshot }),
      };
    }
    case 'task.completed':
      return { kind, ...attemptFields(o), output: o.output };
    case 'task.failed':
      return { kind, ...attemptFields(o), error: taskError(o.error, 'error') };
    case 'task.cancelled':
      return { kind, ...attemptFields(o), reason: text(o, 'reason') };
    default:
      return fail(`unknown record kind ${JSON.stringify(kind) ?? 'undefined'}`);
  }
}

/** The agent record `value` holds; throws RecordShapeError naming the first bad field. */
export function readAgentRecord(value: unknown): AgentLifecycleRecord {
  const o = fields(value, 'record');
  const stamp = { agentId: text(o, 'agentId'), at: count(o, 'at') };
  switch (o.kind) {
    case 'agent.registered':
      return {
        kind: o.kind,
        ...stamp,
        capabilities: texts(o, 'capabilities'),
        resources: amounts(o, 'resources'),
        slots: count(o, 'slots'),
      };
    case 'agent.lost':
      return { kind: o.kind, ...stamp, reason: text(o, 'reason') };
    case 'agent.restarted':
    case 'agent.stopped':
      return { kind: o.kind, ...stamp };
    default:
      return fail(`unknown record kind ${JSON.stringify(o.kind) ?? 'undefined'}`);
  }
}

const subjectOf = (value: unknown, key: string): string => {
  const subject = typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
  return typeof subject === 'string' ? subject : '?';
};

function accept<R>(value: unknown, key: string, read: (value: unknown) => R): R {
  try {
    return read(value);
  } catch (error) {
    if (!(error instanceof RecordShapeError)) throw error;
    throw new InvalidStoreRecord(subjectOf(value, key), error.message);
  }
}

/** `value` as a task record, or InvalidStoreRecord naming the task and the bad field. */
export const acceptTaskRecord = (value: TaskLifecycleRecord) =>
  accept(value, 'taskId', readTaskRecord);

/** `value` as an agent record, or InvalidStoreRecord naming the agent and the bad field. */
export const acceptAgentRecord = (value: AgentLifecycleRecord) =>
  accept(value, 'agentId', readAgentRecord);
