// The differential runner: one machine, one input and one sequence of steps (send an
// event, or advance the clock) run through a real XState actor and through a CompiledActor;
// after the start and after every step, everything a caller could see of the two must be
// equal. The first difference comes back as a Mismatch that reads on its own: which step,
// which fields, the whole sequence and both sides.
import { inspect, isDeepStrictEqual } from 'node:util';
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import {
  compiledSide,
  type Observation,
  type Reaction,
  type Side,
  xstateSide,
} from './differential-sides.js';

export type Step = { readonly send: AnyEventObject } | { readonly advance: number };

export interface DifferentialCase {
  /** The machine XState runs. */
  readonly machine: AnyStateMachine;
  /** The machine compiled for the CompiledActor; the same one unless a test mutates it. */
  readonly compiled?: AnyStateMachine;
  readonly input: unknown;
  readonly steps: readonly Step[];
  readonly id?: string;
  readonly react?: Reaction;
  /** The fields compared; all unless a test looks past one difference at the next. */
  readonly fields?: readonly Field[];
}

export const FIELDS = [
  'value',
  'context',
  'status',
  'output',
  'error',
  'emitted',
  'timers',
  'observed',
  'afterStop',
] as const satisfies readonly (keyof Observation)[];
export type Field = (typeof FIELDS)[number];

export interface Mismatch {
  /** The step after which the two differed; -1 for the start. */
  readonly at: number;
  readonly fields: readonly Field[];
  readonly steps: readonly Step[];
  readonly input: unknown;
  readonly xstate: Observation;
  readonly compiled: Observation;
}

export function differingFields(
  a: Observation,
  b: Observation,
  fields: readonly Field[] = FIELDS,
): Field[] {
  return fields.filter((field) => !isDeepStrictEqual(a[field], b[field]));
}

/** Runs the case on both sides; undefined when they agreed throughout. */
export function runDifferential(c: DifferentialCase): Mismatch | undefined {
  const id = c.id ?? 'subject';
  const sides: [Side, Side] = [
    xstateSide(c.machine, c.input, id, c.react),
    compiledSide(c.compiled ?? c.machine, c.input, id, c.react),
  ];
  const [reference, subject] = sides;
  const check = (at: number): Mismatch | undefined => {
    const [xstate, compiled] = [reference.observe(), subject.observe()];
    const fields = differingFields(xstate, compiled, c.fields);
    if (fields.length === 0) return undefined;
    return { at, fields, steps: c.steps, input: c.input, xstate, compiled };
  };
  try {
    for (const side of sides) side.start();
    let mismatch = check(-1);
    for (let i = 0; i < c.steps.length && mismatch === undefined; i++) {
      const step = c.steps[i] as Step;
      // An actor that ended is still sent its steps: both must ignore them (and warn) alike.
      if ('advance' in step) for (const side of sides) side.advance(step.advance);
      else for (const side of sides) side.send(step.send);
      mismatch = check(i);
    }
    return mismatch;
  } finally {
    for (const side of sides) if (side.active()) side.stop();
  }
}

/** Errors as their name and message: their stacks would bury the difference. */
function brief(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return `[${value.name}: ${value.message}]`;
  if (typeof value !== 'object' || value === null || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => brief(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, brief(v, depth + 1)]));
}

const show = (value: unknown) =>
  inspect(brief(value), {
    depth: 10,
    breakLength: Number.POSITIVE_INFINITY,
    compact: true,
    sorted: true,
  });

/** The keys two records differ in, for a context that is too long to compare by eye. */
function differingKeys(a: unknown, b: unknown): string[] {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return [];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter(
    (key) =>
      !isDeepStrictEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

export function describeStep(step: Step): string {
  return 'advance' in step ? `advance(${step.advance})` : `send(${show(step.send)})`;
}

/** A mismatch as a failure message: the step, the differing fields, both sides, the run. */
export function describeMismatch(m: Mismatch): string {
  const where = m.at < 0 ? 'start()' : `step ${m.at}: ${describeStep(m.steps[m.at] as Step)}`;
  const lines = [
    `CompiledActor differs from XState after ${where}`,
    `differing fields: ${m.fields.join(', ')}`,
  ];
  for (const field of m.fields) {
    const keys = field === 'context' ? differingKeys(m.xstate.context, m.compiled.context) : [];
    lines.push(`  ${field}:${keys.length > 0 ? ` (keys ${keys.join(', ')})` : ''}`);
    lines.push(`    xstate:   ${show(m.xstate[field])}`);
    lines.push(`    compiled: ${show(m.compiled[field])}`);
  }
  lines.push(`input: ${show(m.input)}`);
  lines.push('steps:');
  m.steps.forEach((step, i) => {
    const marker = i === m.at ? '>' : ' ';
    lines.push(`  ${marker} ${i}: ${describeStep(step)}${i > m.at ? '  (not run)' : ''}`);
  });
  lines.push(`xstate side:   ${show(m.xstate)}`);
  lines.push(`compiled side: ${show(m.compiled)}`);
  return lines.join('\n');
}

/** Throws a readable error when the case diverges: the body of a property. */
export function assertEquivalent(c: DifferentialCase): void {
  const mismatch = runDifferential(c);
  if (mismatch) throw new Error(describeMismatch(mismatch));
}
