// The ids a declaration tree gives out, to refuse any given twice. An agent with N
// replicas gives out `<id>-1`...`<id>-N`; these are kept as one range, not expanded, so
// `replicas: 1e9` costs no more to check than `replicas: 2`.
import { InvalidAgentDeclaration } from '../errors/index.js';

const NUMBERED = /^(.*)-([1-9][0-9]*)$/;

export class AgentIdRegistry {
  /** Each single id given out, with the field that gave it. */
  readonly #ids = new Map<string, string>();
  /** Each replica range by prefix: `<prefix>-1`...`<prefix>-<count>`. */
  readonly #ranges = new Map<string, { readonly count: number; readonly field: string }>();
  /** For ids shaped `<prefix>-<n>`, the smallest n given out per prefix. */
  readonly #lowest = new Map<string, { readonly n: number; readonly field: string }>();

  /** @throws InvalidAgentDeclaration at `field` when `id` was given out before. */
  claim(id: string, field: string): void {
    const numbered = NUMBERED.exec(id);
    const prefix = numbered?.[1];
    const n = Number(numbered?.[2]);
    const range = prefix === undefined ? undefined : this.#ranges.get(prefix);
    const earlier = this.#ids.get(id) ?? (range && n <= range.count ? range.field : undefined);
    if (earlier !== undefined) refuse(field, id, earlier);
    this.#ids.set(id, field);
    if (prefix !== undefined && !(n >= (this.#lowest.get(prefix)?.n ?? Infinity)))
      this.#lowest.set(prefix, { n, field });
  }

  /** @throws InvalidAgentDeclaration at `field` when one of `<prefix>-1..count` was given out. */
  claimReplicas(prefix: string, count: number, field: string): void {
    const lowest = this.#lowest.get(prefix);
    if (lowest !== undefined && lowest.n <= count)
      refuse(field, `${prefix}-${lowest.n}`, lowest.field);
    // Two ranges never overlap: `<p>-<n>` ends in the digits after its last dash, so equal
    // ids mean equal prefixes, and the prefix itself was claimed as an id before.
    this.#ranges.set(prefix, { count, field });
  }
}

function refuse(field: string, id: string, earlier: string): never {
  throw new InvalidAgentDeclaration(
    field,
    `gives id ${JSON.stringify(id)}, already used at ${earlier}`,
  );
}
