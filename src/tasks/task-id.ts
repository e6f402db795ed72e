// A generated task id: a nanoid (21 URL-safe characters) that never begins with `-`, so that
// a command line never takes it for an option (`overseer task <id>`, `overseer cancel <id>`).
// One in 64 nanoids begins so; drawing again keeps the others' distribution.
import { nanoid } from 'nanoid';

export function newTaskId(): string {
  for (;;) {
    const id = nanoid();
    if (!id.startsWith('-')) return id;
  }
}
