// A Standard Schema for the demo's flat JSON objects (`{ airline: 'string', price: 'number' }`),
// so the demo's tools and workers declare their shapes without a schema library at runtime.
import type { StandardSchemaV1 } from '@standard-schema/spec';

/** Each field's JSON type. */
export type FlatShape = Readonly<Record<string, 'string' | 'number'>>;
/** The object a shape describes. */
export type FlatObject<Shape extends FlatShape> = {
  readonly [Field in keyof Shape]: Shape[Field] extends 'number' ? number : string;
};

/** A schema accepting objects with exactly `shape`'s fields, each of its type. */
export function flatSchema<Shape extends FlatShape>(
  shape: Shape,
): StandardSchemaV1<FlatObject<Shape>, FlatObject<Shape>> {
  return {
    '~standard': {
      version: 1,
      vendor: 'overseer-demo',
      validate: (value) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value))
          return { issues: [{ message: `expected an object, got ${describe(value)}` }] };
        const record = value as Record<string, unknown>;
        const issues: StandardSchemaV1.Issue[] = [];
        for (const [field, type] of Object.entries(shape))
          if (typeof record[field] !== type)
            issues.push({
              message: `expected a ${type}, got ${describe(record[field])}`,
              path: [field],
            });
        for (const field of Object.keys(record))
          if (!(field in shape))
            issues.push({ message: 'not a field of this object', path: [field] });
        return issues.length > 0 ? { issues } : { value: record as FlatObject<Shape> };
      },
    },
  };
}

const describe = (value: unknown) =>
  typeof value === 'string'
    ? `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`
    : value === undefined
      ? 'nothing'
      : JSON.stringify(value);
