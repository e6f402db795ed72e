// What the store tests build on: task specs, records, temp database files, and the two
// stores side by side so every rule is checked on both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultRetryPolicy } from '../../machines/retry-policy.js';
import { memoryStore } from '../../src/store/memory-store.js';
import { sqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import type {
  StoredTaskSpec,
  TaskLifecycleRecord,
  TaskTransitionRecord,
} from '../../src/store/store-records.js';

export function specOf(id: string, extra: Partial<StoredTaskSpec> = {}): StoredTaskSpec {
  return {
    id,
    type: 'resize-image',
    input: { url: `https://example.com/${id}.png` },
    priority: 0,
    capabilities: [],
    resources: {},
    dependsOn: [],
    deadline: undefined,
    timeoutMs: undefined,
    retry: defaultRetryPolicy,
    idempotencyKey: undefined,
    qos: 'default',
    metadata: {},
    ...extra,
  };
}

export const submitted = (
  id: string,
  at: number,
  extra: Partial<StoredTaskSpec> = {},
): TaskLifecycleRecord => ({ kind: 'task.submitted', taskId: id, at, spec: specOf(id, extra) });

export const moved = (
  id: string,
  state: TaskTransitionRecord['state'],
  attempt: number,
  at: number,
  agentId?: string,
): TaskLifecycleRecord => ({
  kind: 'task.transition',
  taskId: id,
  state,
  attempt,
  at,
  ...(agentId === undefined ? {} : { agentId }),
});

/**
 * A fresh directory under the OS temp dir. `remove()` closes the stores opened in it
 * through `storeKinds` and deletes it with every file in it.
 */
export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'overseer-store-'));
  const opened: Store[] = [];
  let files = 0;
  return {
    dir,
    /** A path for a new database file. */
    file: (name = `store-${++files}.db`) => join(dir, name),
    track<S extends Store>(store: S): S {
      opened.push(store);
      return store;
    },
    async remove() {
      await Promise.allSettled(opened.map((store) => store.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Both stores, for `describe.each`: each `open()` gives a new, empty store. */
export function storeKinds(dir: ReturnType<typeof tempDir>) {
  return [
    { kind: 'memory', open: (): Store => memoryStore() },
    { kind: 'sqlite', open: (): Store => dir.track(sqliteStore(dir.file())) },
  ] as const;
}
