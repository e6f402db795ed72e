// The overseer nodes' agent in the distributed row: notes Date.now() at handler entry and
// returns it (the bench reads each job's start from its result), doing nothing else.
export function noop(): number {
  return Date.now();
}
