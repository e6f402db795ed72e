// The live view's QoS figure: each class's SLO attainment so far in a few characters
// (`i 100% s 73% b -`), a class named by its shortest prefix no other class shares.
import type { ClassOutcome } from '../observability/class-outcomes.js';

/** `''` without classes; `-` for a class with nothing finished yet. */
export function attainmentLine(classes: Readonly<Record<string, ClassOutcome>>): string {
  const names = Object.keys(classes);
  return names
    .map((name) => {
      const c = classes[name];
      const finished = c ? c.completed + c.failed + c.cancelled : 0;
      // Rounded down, so 100% means every finished task was on time.
      const share = c && finished > 0 ? `${Math.floor(c.attainment * 100)}%` : '-';
      return `${shortName(name, names)} ${share}`;
    })
    .join(' ');
}

function shortName(name: string, names: readonly string[]): string {
  for (let n = 1; n < name.length; n++) {
    const prefix = name.slice(0, n);
    if (names.every((other) => other === name || !other.startsWith(prefix))) return prefix;
  }
  return name;
}
