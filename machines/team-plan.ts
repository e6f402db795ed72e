// A team's plan: the steps its planner proposes, each for a worker capability and waiting on
// the steps it names. Pure: checked and ordered here, carried out by the team runtime.

/** One step of a plan: work for a worker that offers `capability`. */
export interface PlanStep {
  /** Unique within the plan; other steps name it in `dependsOn`. */
  readonly id: string;
  /** What the step needs a worker to offer. */
  readonly capability: string;
  /** Handed to the worker as is. */
  readonly input?: unknown;
  /** Ids of the steps that must finish before this one starts. Default none. */
  readonly dependsOn?: readonly string[];
}

/** What a team's planner returns. */
export interface TeamPlan {
  readonly steps: readonly PlanStep[];
  /** The planner's reasoning, for people reading the run; never acted on. */
  readonly note?: string;
}

/** What is wrong: the plan's shape, one of a step's fields, or how steps depend on others. */
export type PlanProblemKind = ShapeProblem | StepProblem | DependencyProblem;
type ShapeProblem = 'not-a-plan' | 'unknown-field' | 'bad-note' | 'no-steps' | 'too-many-steps';
type StepProblem = 'bad-step' | 'bad-id' | 'duplicate-id' | 'bad-capability' | 'unknown-capability';
type DependencyProblem = 'bad-dependency' | 'unknown-dependency' | 'self-dependency' | 'cycle';

/** One thing wrong with a plan, at its JSON path (`steps[2].dependsOn[0]`; `$` is the plan). */
export interface PlanProblem {
  readonly path: string;
  readonly kind: PlanProblemKind;
  readonly problem: string;
  /** For a `cycle`: its step ids, each waiting on the next, the first repeated last. */
  readonly cycle?: readonly string[];
}

export interface PlanCheckOptions {
  /** The capabilities the team's workers offer. Default: any capability is accepted. */
  readonly capabilities?: ReadonlySet<string>;
  /** The most steps a plan may have. Default: no limit. */
  readonly maxSteps?: number;
}

const nonBlank = { type: 'string', pattern: '\\S' } as const;

/**
 * The plan as a JSON Schema (draft 2020-12), for model adapters that ask for structured
 * output. It cannot say that ids are unique, that dependencies exist or form no cycle, or
 * which capabilities are offered: `planProblems` checks those too.
 */
export const teamPlanJsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'TeamPlan',
  type: 'object',
  required: ['steps'],
  additionalProperties: false,
  properties: {
    note: { type: 'string', description: 'Why the plan is what it is; never acted on.' },
    steps: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'capability'],
        additionalProperties: false,
        properties: {
          id: { ...nonBlank, description: 'Unique within the plan.' },
          capability: { ...nonBlank, description: 'What a worker must offer to do this step.' },
          input: { description: 'Handed to the worker as is.' },
          dependsOn: { type: 'array', items: nonBlank, description: 'Steps to finish first.' },
        },
      },
    },
  },
} as const;

// The fields a plan and a step may have: the schema's, so the two never disagree.
const PLAN_FIELDS = new Set(Object.keys(teamPlanJsonSchema.properties));
const STEP_FIELDS = new Set(Object.keys(teamPlanJsonSchema.properties.steps.items.properties));

/**
 * Everything wrong with `value` as a plan, each at its JSON path; empty when the plan can run.
 * Never throws: the value is only inspected, so it may come straight from a model.
 */
export function planProblems(value: unknown, options: PlanCheckOptions = {}): PlanProblem[] {
  if (!isRecord(value))
    return [at('$', 'not-a-plan', `must be an object with steps, got ${show(value)}`)];
  const problems = unknownFields(value, PLAN_FIELDS, '', 'a plan');
  if (value.note !== undefined && typeof value.note !== 'string')
    problems.push(at('note', 'bad-note', `must be a string, got ${show(value.note)}`));
  const steps = value.steps;
  if (!Array.isArray(steps) || steps.length === 0) {
    const got = Array.isArray(steps) ? 'an empty array' : show(steps);
    return [...problems, at('steps', 'no-steps', `must be a non-empty array of steps, got ${got}`)];
  }
  if (options.maxSteps !== undefined && steps.length > options.maxSteps) {
    const detail = `has ${steps.length} steps, more than the ${options.maxSteps} allowed`;
    problems.push(at('steps', 'too-many-steps', detail));
  }
  const indexOf = firstIndexOfEachId(steps);
  steps.forEach((step: unknown, i) => {
    problems.push(...stepProblems(step, i, indexOf, options.capabilities));
  });
  problems.push(...cycleProblems(steps, indexOf));
  return problems;
}

/**
 * The plan's steps, each after the steps it depends on: as listed when the plan already is in
 * that order, and otherwise with the steps a step waits on moved to just before it.
 * @throws Error listing the problems when `planProblems(plan)` finds any: check plans first.
 */
export function planOrder(plan: TeamPlan): PlanStep[] {
  const problems = planProblems(plan);
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.path} ${p.problem}`).join('; ');
    throw new Error(`planOrder needs a valid plan (see planProblems): ${list}`);
  }
  const indexOf = firstIndexOfEachId(plan.steps);
  const { order } = walkDependencies(plan.steps, indexOf);
  return order.map((i) => plan.steps[i] as PlanStep);
}

function stepProblems(
  step: unknown,
  i: number,
  indexOf: ReadonlyMap<string, number>,
  capabilities: ReadonlySet<string> | undefined,
): PlanProblem[] {
  const path = `steps[${i}]`;
  if (!isRecord(step))
    return [at(path, 'bad-step', `must be an object with id and capability, got ${show(step)}`)];
  const problems = unknownFields(step, STEP_FIELDS, path, 'a step');
  const { id, capability } = step;
  const first = isNonBlank(id) ? indexOf.get(id) : i;
  if (!isNonBlank(id)) problems.push(at(`${path}.id`, 'bad-id', notText(id)));
  else if (first !== i)
    problems.push(at(`${path}.id`, 'duplicate-id', `${show(id)} is already steps[${first}].id`));
  if (!isNonBlank(capability)) {
    problems.push(at(`${path}.capability`, 'bad-capability', notText(capability)));
  } else if (capabilities && !capabilities.has(capability)) {
    const detail = `${show(capability)} is not offered by any worker${hint(capability, capabilities)}`;
    problems.push(at(`${path}.capability`, 'unknown-capability', detail));
  }
  return [...problems, ...dependencyProblems(step, path, indexOf)];
}

function dependencyProblems(
  step: Record<string, unknown>,
  path: string,
  indexOf: ReadonlyMap<string, number>,
): PlanProblem[] {
  const { id, dependsOn } = step;
  if (dependsOn === undefined) return [];
  if (!Array.isArray(dependsOn)) {
    const detail = `must be an array of step ids, got ${show(dependsOn)}`;
    return [at(`${path}.dependsOn`, 'bad-dependency', detail)];
  }
  return dependsOn.flatMap((dep: unknown, j) => {
    const where = `${path}.dependsOn[${j}]`;
    if (!isNonBlank(dep)) return [at(where, 'bad-dependency', notText(dep))];
    if (dep === id)
      return [at(where, 'self-dependency', `${show(dep)} is this step: it cannot wait for itself`)];
    if (indexOf.has(dep)) return [];
    const detail = `${show(dep)} names no step${hint(dep, indexOf.keys())}`;
    return [at(where, 'unknown-dependency', detail)];
  });
}

/** One problem for each cycle found, at the dependency that leaves the cycle's first step. */
function cycleProblems(
  steps: readonly unknown[],
  indexOf: ReadonlyMap<string, number>,
): PlanProblem[] {
  return walkDependencies(steps, indexOf).cycles.map((cycle) => {
    const ids = cycle.map((i) => idOf(steps[i]) ?? '');
    const j = dependsOnOf(steps[cycle[0] ?? 0]).indexOf(ids[1]);
    const detail = `is part of a dependency cycle: ${ids.join(' -> ')}`;
    return { ...at(`steps[${cycle[0]}].dependsOn[${j}]`, 'cycle', detail), cycle: ids };
  });
}

/**
 * A depth-first walk over dependencies, roots in plan order, without recursion so that a long
 * chain cannot overflow the stack. `order` lists each step after its dependencies; `cycles`
 * holds the cycle each back edge closes unless it shares a step with one found before: every
 * knot of steps that wait on each other is reported, and no step twice.
 */
function walkDependencies(steps: readonly unknown[], indexOf: ReadonlyMap<string, number>): Walk {
  // Each step's dependencies as step indices; unknown ids and a step's own id left out.
  const deps = steps.map((step, i) =>
    dependsOnOf(step).flatMap((dep) => {
      const j = typeof dep === 'string' ? indexOf.get(dep) : undefined;
      return j === undefined || j === i ? [] : [j];
    }),
  );
  const state = new Uint8Array(deps.length); // 0 unseen, 1 on the current path, 2 done
  const walk: Walk = { order: [], cycles: [] };
  const inCycle = new Set<number>();
  for (let root = 0; root < deps.length; root++) {
    if (state[root] !== 0) continue;
    state[root] = 1;
    const path = [{ node: root, next: 0 }];
    for (let top = path.at(-1); top !== undefined; top = path.at(-1)) {
      const dep = deps[top.node]?.[top.next++];
      if (dep === undefined) {
        state[top.node] = 2;
        walk.order.push(top.node);
        path.pop();
      } else if (state[dep] === 0) {
        state[dep] = 1;
        path.push({ node: dep, next: 0 });
      } else if (state[dep] === 1) {
        const cycle = path.slice(path.findIndex((p) => p.node === dep)).map((p) => p.node);
        if (cycle.some((i) => inCycle.has(i))) continue;
        for (const i of cycle) inCycle.add(i);
        walk.cycles.push([...cycle, dep]);
      }
    }
  }
  return walk;
}

type Walk = { readonly order: number[]; readonly cycles: number[][] };

/** Where each id first appears; a later step with the same id is a duplicate. */
function firstIndexOfEachId(steps: readonly unknown[]): Map<string, number> {
  const indexOf = new Map<string, number>();
  steps.forEach((step, i) => {
    const id = idOf(step);
    if (id !== undefined && !indexOf.has(id)) indexOf.set(id, i);
  });
  return indexOf;
}

const idOf = (step: unknown): string | undefined =>
  isRecord(step) && isNonBlank(step.id) ? step.id : undefined;

const dependsOnOf = (step: unknown): readonly unknown[] =>
  isRecord(step) && Array.isArray(step.dependsOn) ? step.dependsOn : [];

function at(path: string, kind: PlanProblemKind, problem: string): PlanProblem {
  return { path, kind, problem };
}

function unknownFields(
  record: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  path: string,
  what: string,
): PlanProblem[] {
  return Object.keys(record)
    .filter((key) => !allowed.has(key))
    .map((key) => at(path ? `${path}.${key}` : key, 'unknown-field', `is not a field of ${what}`));
}

// machines/ imports nothing from src/, so the next three mirror src/validation's
// field-checks (`isRecord`, `show`) and closest-name in their smallest form.

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isNonBlank = (value: unknown): value is string =>
  typeof value === 'string' && value.trim().length > 0;

const notText = (value: unknown) => `must be a non-empty string, got ${show(value)}`;

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** "; did you mean X?" naming the known name nearest to `name`, or the known names. */
function hint(name: string, known: Iterable<string>): string {
  const names = [...known];
  const distances = names.map((other) => editDistance(name.toLowerCase(), other.toLowerCase()));
  const best = distances.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  if (best <= Math.max(2, Math.floor(name.length / 3)))
    return `; did you mean ${show(names[distances.indexOf(best)])}?`;
  if (names.length === 0) return ' (there are none)';
  return ` (known: ${names.slice(0, 10).map(show).join(', ')}${names.length > 10 ? ', ...' : ''})`;
}

/** Levenshtein distance: the single-character edits that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let last = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((last[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (last[j - 1] ?? 0) + cost));
    }
    last = row;
  }
  return last[b.length] ?? 0;
}
