// The problems of a workload file as `file:line:col field: message`, each pointing at the
// node at fault: the value of a bad field, the key of an unknown one.
import { type Document, isMap, isScalar, type LineCounter } from 'yaml';
import { z } from 'zod';
import { closestName } from '../validation/closest-name.js';

type Path = readonly (string | number)[];
type Ranged = { range?: readonly number[] | null } | null | undefined;

/** One line per problem; an issue about several unknown keys gives one line per key. */
export function workloadProblems(
  file: string,
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  doc: Document,
  lines: LineCounter,
): string[] {
  const at = (node: Ranged) => {
    const offset = node?.range?.[0];
    if (offset === undefined) return '';
    const { line, col } = lines.linePos(offset);
    return `:${line}:${col}`;
  };
  return issues.flatMap((issue) => {
    const path = issue.path as Path;
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, path);
      return issue.keys.map((key) => {
        const near = closestName(key, known);
        return `${file}${at(keyNode(doc, path, key))} ${fieldName([...path, key])}: unknown field${near ? `; did you mean "${near}"?` : ''}`;
      });
    }
    const node = (doc.getIn(path, true) ?? doc.getIn(path.slice(0, -1), true)) as Ranged;
    return [`${file}${at(node)} ${fieldName(path) || '(root)'}: ${issue.message}`];
  });
}

/** `agents[0].workMs`: a path as the user would write it. */
const fieldName = (path: Path) =>
  path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');

/** The key node of `key` in the mapping at `path`. */
function keyNode(doc: Document, path: Path, key: string): Ranged {
  const map = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
  return pair?.key as Ranged;
}

/** The keys the schema allows in the object at `path`, for a "did you mean". */
function knownKeys(schema: z.ZodType, path: Path): string[] {
  let at: unknown = schema;
  for (const step of [...path, undefined]) {
    while (at instanceof z.ZodOptional || at instanceof z.ZodDefault) at = at.unwrap();
    if (step === undefined) break;
    if (typeof step === 'number') at = at instanceof z.ZodArray ? at.element : undefined;
    else at = at instanceof z.ZodObject ? (at.shape as Record<string, unknown>)[step] : undefined;
  }
  return at instanceof z.ZodObject ? Object.keys(at.shape) : [];
}
