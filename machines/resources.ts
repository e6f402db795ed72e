// Named numeric resources ({ cpu: 2, gpu: 0, tokens: 8000 }) and the arithmetic of
// reserving them on an agent. A resource an agent does not declare is one it has none of.

export type Resources = Readonly<Record<string, number>>;

/** Whether `needed` fits into `limits` minus `inUse`. */
export function resourcesFit(limits: Resources, inUse: Resources, needed: Resources): boolean {
  for (const name in needed) {
    const want = needed[name] ?? 0;
    if (want <= 0) continue;
    if ((inUse[name] ?? 0) + want > (limits[name] ?? 0)) return false;
  }
  return true;
}

/** Whether `r` names no resource at all (most tasks): arithmetic with it changes nothing. */
function isEmpty(r: Resources): boolean {
  for (const _ in r) return false;
  return true;
}

export function addResources(a: Resources, b: Resources): Resources {
  if (isEmpty(b)) return a;
  const sum: Record<string, number> = { ...a };
  for (const name in b) sum[name] = (sum[name] ?? 0) + (b[name] ?? 0);
  return sum;
}

export function subtractResources(a: Resources, b: Resources): Resources {
  if (isEmpty(b)) return a;
  const rest: Record<string, number> = { ...a };
  for (const name in b) rest[name] = (rest[name] ?? 0) - (b[name] ?? 0);
  return rest;
}
