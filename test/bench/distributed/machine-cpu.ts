// CPU time as Linux counts it in /proc, for the distributed row: the whole machine's CPU per
// job (every process of the run: producer, workers, database, kernel), which compares the
// systems' efficiency where jobs/s alone would hide a busy core; and overseer's split of
// it between the supervisor's process, its nodes and the PostgreSQL backends serving them.
// Elsewhere than Linux the figures are absent, never wrong.
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's counters (USER_HZ: 100 on Linux's usual builds). */
const TICKS_PER_SECOND = 100;

/** The CPU the whole machine spent so far (user, nice, system, irq, softirq, steal), in s. */
export function machineBusySeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]?.split(/\s+/) ?? [];
    const [user, nice, system, , , irq, softirq, steal] = fields.slice(1, 9).map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>(
      (a, b) => a + (b ?? 0),
      0,
    );
    return Number.isFinite(busy) ? busy / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** The CPU process `pid` spent so far (user and system), in s; undefined if it is gone. */
export function processSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name, which may hold spaces, in parentheses: utime and stime are
    // the 12th and 13th fields.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** The CPU `pids` spent so far together, each counted while it is readable. */
export function processesSeconds(pids: Iterable<number>): Map<number, number> {
  const spent = new Map<number, number>();
  for (const pid of pids) {
    const seconds = processSeconds(pid);
    if (seconds !== undefined) spent.set(pid, seconds);
  }
  return spent;
}

/** What `after` spent beyond `before`: a process new in `after` counts from zero. */
export function spentBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}
