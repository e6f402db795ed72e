import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as errors from '../../src/errors/index.js';
import { ERROR_CODES, OverseerError } from '../../src/errors/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
type ErrorClass = abstract new (...args: never[]) => OverseerError;

/** Every error class the catalogue exports, by its export name. */
const classes = Object.entries(errors).flatMap(([name, value]): [string, ErrorClass][] =>
  typeof value === 'function' && (value === OverseerError || value.prototype instanceof Error)
    ? [[name, value as ErrorClass]]
    : [],
);
const concrete = classes.filter(([, cls]) => cls !== OverseerError);

/** One instance of each class, as the runtime would make it. */
const samples: Record<string, () => OverseerError> = {
  AgentCrash: () => new errors.AgentCrash('lost the connection'),
  AttemptAborted: () => new errors.AttemptAborted('t1', 'timeout'),
  CorruptStoreRecord: () => new errors.CorruptStoreRecord('tasks', 'seq=1', 'bad JSON'),
  DeadlineInPast: () => new errors.DeadlineInPast(1, 2),
  DependencyCycle: () => new errors.DependencyCycle(['a', 'b', 'a']),
  DuplicateTaskId: () => new errors.DuplicateTaskId('t1'),
  EventsOverflowed: () => new errors.EventsOverflowed(10_000),
  ForeignStoreFile: () => new errors.ForeignStoreFile('x.db', 'not SQLite'),
  InspectorUnreachable: () => new errors.InspectorUnreachable('ws://x', 'refused'),
  Overloaded: () => new errors.Overloaded('interactive', 100, 250),
  InvalidPlan: () =>
    new errors.InvalidPlan([
      {
        path: 'steps',
        kind: 'no-steps',
        problem: 'must be a non-empty array of steps, got undefined',
      },
    ]),
  StaleState: () => new errors.StaleState(1, 2, 'summarizer'),
  TeamRunFailed: () => new errors.TeamRunFailed('team-1', 'no plan passed in 3 rounds', []),
  SubmissionRefused: () => new errors.SubmissionRefused('t1', 'no agent offers gpu'),
  StoreDeposed: () => new errors.StoreDeposed('host:1:run'),
  UnknownTeamRun: () => new errors.UnknownTeamRun('team-1', 'saved in the store'),
  UnsupportedMachineFeature: () =>
    new errors.UnsupportedMachineFeature('task', 'state #task.running', 'parallel states'),
  InvalidAgentDeclaration: () => new errors.InvalidAgentDeclaration('agents[0].id', 'is bad'),
  InvalidExporterOptions: () => new errors.InvalidExporterOptions('prefix', 'is bad'),
  InvalidDashboardOptions: () => new errors.InvalidDashboardOptions('token', 'is too short'),
  InvalidRunRecord: () =>
    new errors.InvalidRunRecord(
      'runs.jsonl',
      3,
      'outcome: must be one of completed, failed, cancelled',
    ),
  InvalidTeamModule: () => new errors.InvalidTeamModule('team.js', 'must export a function team()'),
  ModelReplyInvalid: () => new errors.ModelReplyInvalid('llama3', 'text that is not JSON', 'Sure!'),
  InvalidStoreRecord: () => new errors.InvalidStoreRecord('t1', 'is bad'),
  ListenerFailed: () => new errors.ListenerFailed("system.on('task.completed')", new Error('boom')),
  InvalidSystemOptions: () => new errors.InvalidSystemOptions('retry', 'is bad'),
  InvalidTaskSpec: () => new errors.InvalidTaskSpec('type', 'is required'),
  NoCapableAgent: () => new errors.NoCapableAgent('t1', { capabilities: ['gpu'], resources: {} }),
  NonRetryableError: () => new errors.NonRetryableError('declined'),
  PoolerUnsupported: () => new errors.PoolerUnsupported('db#overseer', 42),
  PortInUse: () => new errors.PortInUse(8080),
  ProtocolError: () => new errors.ProtocolError('a1', 'unknown message'),
  QueueFull: () => new errors.QueueFull(10, 100),
  RecordShapeError: () => new errors.RecordShapeError('kind must be a string'),
  StoreClosed: () => new errors.StoreClosed('append'),
  StoreInUse: () => new errors.StoreInUse('host:1:run', 5_000),
  StoreOpenFailed: () => new errors.StoreOpenFailed('x.db', { cause: new Error('EACCES') }),
  StoreSchemaTooNew: () => new errors.StoreSchemaTooNew('x.db', 9, 1),
  StoreWriteFailed: () => new errors.StoreWriteFailed('x.db', 3, { cause: 'busy' }),
  SystemNotRunning: () => new errors.SystemNotRunning('submit', 'stopped'),
  TaskAlreadyTerminal: () => new errors.TaskAlreadyTerminal('t1', 'completed', 'fail'),
  TaskCancelled: () => new errors.TaskCancelled('t1', 'user'),
  TaskFailed: () =>
    new errors.TaskFailed('t1', { kind: 'error', code: 'HandlerError', message: 'boom' }, 3),
  ToolInputInvalid: () =>
    new errors.ToolInputInvalid('search', [{ message: 'Expected string', path: ['q'] }]),
  ToolNotGranted: () => new errors.ToolNotGranted('a1', 'search', ['fetch']),
  ToolOutputInvalid: () => new errors.ToolOutputInvalid('search', [{ message: 'Required' }]),
  ToolRateLimited: () => new errors.ToolRateLimited('search', 2, 500),
  ToolTimedOut: () => new errors.ToolTimedOut('search', 30_000),
  UnknownAgent: () => new errors.UnknownAgent('a1'),
  UnknownDependency: () => new errors.UnknownDependency('t1', 't0'),
  UnknownTask: () => new errors.UnknownTask('t1'),
  WorkloadError: () => new errors.WorkloadError(['w.yaml:3 agents: required']),
};

function instanceOf(name: string): OverseerError {
  const make = samples[name];
  if (!make) throw new Error(`add a sample of ${name} to the catalogue test`);
  return make();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the error catalogue (src/errors/)', () => {
  it('exports error classes', () => {
    expect(concrete.length).toBeGreaterThan(20);
  });

  it.each(concrete)(
    '%s extends OverseerError, with a code from ErrorCode as its _tag',
    (name, cls) => {
      expect(cls.prototype).toBeInstanceOf(OverseerError);
      const error = instanceOf(name);
      expect(error.name).toBe(name);
      expect(ERROR_CODES).toContain(error.code);
      expect(error._tag).toBe(error.code);
    },
  );

  it('gives each code to exactly one class, and every code in ErrorCode to some class', () => {
    const codes = concrete.map(([name]) => instanceOf(name).code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual([...ERROR_CODES].sort());
  });

  it('is the only place under src/ where an error class (extends Error, OverseerError...) is declared', () => {
    const declares = /\bclass\s+\w+(<[^>]*>)?\s+extends\s+\w*Error\b/;
    const outside = sourceFiles(join(root, 'src'))
      .map((path) => relative(root, path))
      .filter((path) => !path.startsWith(join('src', 'errors')))
      .filter((path) => declares.test(readFileSync(join(root, path), 'utf8')));
    expect(outside).toEqual([]);
  });
});
