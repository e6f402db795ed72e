// Generated task ids never begin with `-`, so that a command line never takes one for an
// option (`overseer task <id>`); one nanoid in 64 would.
import { describe, expect, it } from 'vitest';
import { createSystem } from '../../src/index.js';
import { newTaskId } from '../../src/tasks/task-id.js';

describe('generated task ids', () => {
  it('are nanoids that never begin with a dash', () => {
    const ids = Array.from({ length: 20_000 }, newTaskId);
    expect(ids.filter((id) => !/^[A-Za-z0-9_][A-Za-z0-9_-]{20}$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("are a system's default", async () => {
    const system = createSystem({ agents: [{ id: 'w', handler: () => 1 }] }).start();
    system.pauseDispatch();
    const handles = await system.submitMany(Array.from({ length: 2_000 }, () => ({ type: 't' })));
    expect(handles.filter((h) => h.id.startsWith('-'))).toEqual([]);
    await system.stop({ timeoutMs: 0 });
  });
});
