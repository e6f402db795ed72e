// The boundary of `createSystem`: agent and supervisor declarations are checked whole,
// each problem named by its path (`agents[1].children[0].concurrency`).
import { InvalidAgentDeclaration } from '../errors/index.js';
import { AgentIdRegistry } from './agent-id-registry.js';
import { closestName } from './closest-name.js';
import {
  type FieldCheck,
  type FieldProblem,
  integerAtLeast,
  isRecord,
  nonEmptyString,
  nonNegativeNumber,
  oneOf,
  positiveNumber,
  resourceMap,
  show,
  stringList,
  unknownKeys,
} from './field-checks.js';

const restartType = oneOf(['permanent', 'transient', 'temporary']);
const restartStrategy = oneOf(['one_for_one', 'one_for_all', 'rest_for_one']);

const AGENT_CHECKS: ReadonlyMap<string, FieldCheck> = new Map([
  ['id', nonEmptyString],
  ['capabilities', stringList],
  ['resources', resourceMap],
  ['concurrency', integerAtLeast(1)],
  ['replicas', integerAtLeast(1)],
  ['restart', restartType],
  ['shutdownTimeoutMs', nonNegativeNumber],
  ['heartbeat', oneOf(['auto', 'manual'])],
  ['runs', oneOf(['inline', 'thread', 'process', 'remote'])],
  ['module', nonEmptyString],
  ['exportName', nonEmptyString],
  ['maxHeapMb', integerAtLeast(1)],
  ['heartbeatIntervalMs', integerAtLeast(1)],
  ['tools', stringList],
  [
    'handler',
    (value, field) =>
      typeof value === 'function' ? undefined : mustBe(field, 'a function', value),
  ],
  [
    'logic',
    (value, field) =>
      isActorLogic(value)
        ? undefined
        : mustBe(field, 'XState actor logic (a machine, fromPromise...)', value),
  ],
]);

/**
 * A supervisor id: `root` names the system's own root supervisor, and the runtime names
 * the subtrees of a split pool `<id>/<n>`, so neither may be declared.
 */
const supervisorId: FieldCheck = (value, field) => {
  const problem = nonEmptyString(value, field);
  if (problem) return problem;
  if (value === 'root')
    return { field, problem: "is reserved for the system's root supervisor: choose another id" };
  if ((value as string).includes('/'))
    return {
      field,
      problem: `must not contain "/", which names the subtrees of a split pool (<id>/<n>), got ${show(value)}`,
    };
  return undefined;
};

const SUPERVISOR_CHECKS: ReadonlyMap<string, FieldCheck> = new Map([
  ['supervisor', supervisorId],
  ['strategy', restartStrategy],
  ['intensity', restartIntensity],
  ['restart', restartType],
  [
    'children',
    (value, field) =>
      Array.isArray(value) && value.length > 0
        ? undefined
        : mustBe(field, 'a non-empty array of agent or supervisor declarations', value),
  ],
]);

// The fields with no default; `handler` and `logic` are checked together, in workProblem.
const REQUIRED: ReadonlySet<string> = new Set(['id', 'supervisor', 'children']);

/**
 * Checks a tree of agent and supervisor declarations: every field, unknown fields, and
 * ids unique across the whole tree (supervisors included, replicas expanded to `<id>-<n>`),
 * and supervisor ids that are neither `root` nor contain `/`, both of which the runtime uses.
 * With `tools`, the system's tool names: every tool an agent is granted must be one of them.
 * @throws InvalidAgentDeclaration naming the first offending field by its path.
 */
export function validateDeclarations(
  declarations: unknown,
  path = 'agents',
  tools?: ReadonlySet<string>,
): void {
  if (!Array.isArray(declarations))
    throw new InvalidAgentDeclaration(path, `must be an array, got ${show(declarations)}`);
  const ids = new AgentIdRegistry();
  declarations.forEach((decl, i) => {
    validateDeclaration(decl, `${path}[${i}]`, ids, tools);
  });
}

function validateDeclaration(
  decl: unknown,
  path: string,
  ids: AgentIdRegistry,
  tools: ReadonlySet<string> | undefined,
): void {
  if (!isRecord(decl))
    throw new InvalidAgentDeclaration(path, `must be an object, got ${show(decl)}`);
  const isSupervisor = 'supervisor' in decl;
  const checks = isSupervisor ? SUPERVISOR_CHECKS : AGENT_CHECKS;
  const [unknown] = unknownKeys(
    decl,
    new Set(checks.keys()),
    path,
    isSupervisor ? 'a supervisor declaration' : 'an agent declaration',
  );
  fail(unknown);
  for (const [field, check] of checks) {
    if (decl[field] !== undefined || REQUIRED.has(field))
      fail(check(decl[field], `${path}.${field}`));
  }
  if (isSupervisor) {
    ids.claim(decl.supervisor as string, `${path}.supervisor`);
    (decl.children as unknown[]).forEach((child, i) => {
      validateDeclaration(child, `${path}.children[${i}]`, ids, tools);
    });
    return;
  }
  fail(workProblem(decl, path));
  if (tools)
    fail(grantProblem(decl.tools as readonly string[] | undefined, `${path}.tools`, tools));
  const id = decl.id as string;
  const replicas = (decl.replicas as number | undefined) ?? 1;
  ids.claim(id, `${path}.id`);
  // Replicas run as `<id>-1`...`<id>-N`: those must not collide with any other id either.
  if (replicas > 1) ids.claimReplicas(id, replicas, `${path}.replicas`);
}

/** The work is a handler or an actor logic, or, in a thread, a module: exactly one. */
function workProblem(decl: Record<string, unknown>, path: string): FieldProblem | undefined {
  const runs = decl.runs ?? 'inline';
  if (runs === 'remote') {
    const local = ['module', 'maxHeapMb', 'handler', 'logic'].find((f) => decl[f] !== undefined);
    return local === undefined
      ? undefined
      : {
          field: `${path}.${local}`,
          problem:
            "does not apply to runs: 'remote': the handler is exported by the nodes' module (overseer node --agents)",
        };
  }
  if (runs === 'thread' || runs === 'process') {
    if (decl.module === undefined)
      return {
        field: `${path}.module`,
        problem: `is required with runs: ${String(runs)} (the path of the module exporting the handler)`,
      };
    if (decl.handler !== undefined || decl.logic !== undefined)
      return {
        field: `${path}.${decl.handler !== undefined ? 'handler' : 'logic'}`,
        problem: `cannot cross into a ${String(runs)}: export it from \`module\` instead`,
      };
    return undefined;
  }
  const isolatedOnly = ['module', 'exportName', 'maxHeapMb', 'heartbeatIntervalMs'].find(
    (field) => decl[field] !== undefined,
  );
  if (isolatedOnly !== undefined)
    return {
      field: `${path}.${isolatedOnly}`,
      problem: "applies to runs: 'thread' or 'process' only",
    };
  if (decl.handler === undefined && decl.logic === undefined)
    return {
      field: `${path}.handler`,
      problem: 'is required (or logic): the agent has no work to do',
    };
  if (decl.handler !== undefined && decl.logic !== undefined)
    return { field: `${path}.logic`, problem: 'cannot be given together with handler' };
  return undefined;
}

/** A granted tool the system does not declare, named with the closest declared one. */
function grantProblem(
  granted: readonly string[] | undefined,
  path: string,
  tools: ReadonlySet<string>,
): FieldProblem | undefined {
  const index = (granted ?? []).findIndex((name) => !tools.has(name));
  if (index < 0) return undefined;
  const name = granted?.[index] as string;
  const near = closestName(name, tools);
  return {
    field: `${path}[${index}]`,
    problem:
      tools.size === 0
        ? `names tool ${show(name)}, but the system declares no tools (createSystem({ tools }))`
        : `names tool ${show(name)}, which the system does not declare${
            near === undefined
              ? `; it declares ${[...tools].join(', ')}`
              : `; did you mean ${near}?`
          }`,
  };
}

/** The problem with `value` as a restart intensity, shared with the system's `intensity` option. */
export function restartIntensity(value: unknown, field: string): FieldProblem | undefined {
  if (!isRecord(value)) return mustBe(field, 'an object { maxRestarts, periodMs }', value);
  const [unknown] = unknownKeys(value, new Set(['maxRestarts', 'periodMs']), field, 'an intensity');
  return (
    unknown ??
    integerAtLeast(0)(value.maxRestarts, `${field}.maxRestarts`) ??
    positiveNumber(value.periodMs, `${field}.periodMs`)
  );
}

const isActorLogic = (value: unknown): boolean =>
  isRecord(value) && typeof value.transition === 'function';

const mustBe = (field: string, what: string, value: unknown): FieldProblem => ({
  field,
  problem: `must be ${what}, got ${show(value)}`,
});

function fail(problem: FieldProblem | undefined): void {
  if (problem) throw new InvalidAgentDeclaration(problem.field, problem.problem);
}
