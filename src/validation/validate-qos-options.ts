// The `qos` option of createSystem: named service-level classes and the default one. Each
// problem names its field (`qos.classes.interactive.sloMs`); a degradation must name
// another class and never lead back to where it started.
import { degradationChain, type QosOptions } from '../../machines/qos-classes.js';
import {
  type FieldProblem,
  integerAtLeast,
  isPlainObject,
  nonEmptyString,
  positiveNumber,
  show,
  unknownKeys,
} from './field-checks.js';

const CLASS_FIELDS: ReadonlySet<string> = new Set([
  'sloMs',
  'weight',
  'queueCap',
  'overload',
  'maxDelayMs',
  'admitByPrediction',
  'overloadControl',
]);

/** `false`, or { targetMs?, intervalMs? } with positive numbers. */
function overloadControlProblems(value: unknown, field: string): FieldProblem[] {
  if (value === undefined || value === false) return [];
  if (!isPlainObject(value))
    return [{ field, problem: `must be false or { targetMs?, intervalMs? }, got ${show(value)}` }];
  const problems = unknownKeys(
    value,
    new Set(['targetMs', 'intervalMs']),
    field,
    'overloadControl',
  );
  for (const key of ['targetMs', 'intervalMs'] as const) {
    const problem =
      value[key] === undefined ? undefined : positiveNumber(value[key], `${field}.${key}`);
    if (problem) problems.push(problem);
  }
  return problems;
}

function classProblems(
  name: string,
  value: unknown,
  names: readonly string[],
  field: string,
): FieldProblem[] {
  if (!isPlainObject(value))
    return [
      {
        field,
        problem: `must be a QoS class ({ sloMs, weight?, queueCap?, overload? }), got ${show(value)}`,
      },
    ];
  const problems = unknownKeys(value, CLASS_FIELDS, field, 'a QoS class');
  if (value.sloMs === undefined) problems.push({ field: `${field}.sloMs`, problem: 'is required' });
  const checks = [
    positiveNumber(value.sloMs ?? 1, `${field}.sloMs`),
    value.weight === undefined ? undefined : positiveNumber(value.weight, `${field}.weight`),
    value.queueCap === undefined
      ? undefined
      : integerAtLeast(1)(value.queueCap, `${field}.queueCap`),
    value.maxDelayMs === undefined
      ? undefined
      : positiveNumber(value.maxDelayMs, `${field}.maxDelayMs`),
    value.admitByPrediction === undefined || typeof value.admitByPrediction === 'boolean'
      ? undefined
      : {
          field: `${field}.admitByPrediction`,
          problem: `must be true or false, got ${show(value.admitByPrediction)}`,
        },
  ];
  for (const problem of checks) if (problem) problems.push(problem);
  problems.push(...overloadControlProblems(value.overloadControl, `${field}.overloadControl`));
  const { overload } = value;
  if (overload === undefined || overload === 'reject' || overload === 'delay') return problems;
  const at = `${field}.overload`;
  if (!isPlainObject(overload) || Object.keys(overload).some((k) => k !== 'degradeTo'))
    problems.push({
      field: at,
      problem: `must be 'reject', 'delay' or { degradeTo: <class> }, got ${show(overload)}`,
    });
  else if (!names.includes(overload.degradeTo as string) || overload.degradeTo === name)
    problems.push({
      field: `${at}.degradeTo`,
      problem: `must name another class (${names.filter((n) => n !== name).join(', ') || 'none'}), got ${show(overload.degradeTo)}`,
    });
  return problems;
}

export function qosOptionsProblems(value: unknown, field: string): FieldProblem[] {
  if (!isPlainObject(value))
    return [
      {
        field,
        problem: `must be { classes: { <name>: { sloMs, ... } }, default: <name> }, got ${show(value)}`,
      },
    ];
  const problems = unknownKeys(value, new Set(['classes', 'default']), field, 'a qos option');
  const { classes } = value;
  if (!isPlainObject(classes) || Object.keys(classes).length === 0)
    return [
      ...problems,
      { field: `${field}.classes`, problem: `must name at least one class, got ${show(classes)}` },
    ];
  const names = Object.keys(classes);
  for (const name of names) {
    const at = `${field}.classes.${name}`;
    const nameProblem = nonEmptyString(name, at);
    if (nameProblem) problems.push(nameProblem);
    problems.push(...classProblems(name, classes[name], names, at));
  }
  if (!names.includes(value.default as string))
    problems.push({
      field: `${field}.default`,
      problem: `must name a class (${names.join(', ')}), got ${show(value.default)}`,
    });
  if (problems.length > 0) return problems;
  const options = value as unknown as QosOptions;
  for (const name of names) {
    const chain = degradationChain(options, name);
    if (chain.length > 1 && chain.indexOf(chain.at(-1) as string) < chain.length - 1)
      return [
        {
          field: `${field}.classes.${name}.overload.degradeTo`,
          problem: `degrades in a circle: ${chain.join(' -> ')}`,
        },
      ];
  }
  return problems;
}
