// The rule the layout keeps: a machine decides, the runtime carries. A task's state is
// written only by the task book, from what its machine emitted; the list of task states
// is spelled once, in machines/task-states.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TASK_STATES } from '../machines/task-states.js';

const root = join(import.meta.dirname, '..');
const sources = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
const AGENT_STATES = ['starting', 'online', 'idle', 'busy', 'draining', 'unresponsive', 'stopped'];
const names = [...TASK_STATES, ...AGENT_STATES].join('|');
const assignment = new RegExp(`\\b(state|status)\\s*(=|:)\\s*'(${names})'`);

describe('the layout', () => {
  it('assigns no task or agent state name outside machines/', () => {
    // src/compiled/ runs machines: its actor status (active, done, error, stopped) is
    // XState's, not a task's or an agent's lifecycle state.
    const runtime = sources('src').filter((file) => !file.startsWith(join('src', 'compiled')));
    const offenders = runtime.flatMap((file) =>
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${relative(root, join(root, file))}:${i + 1}` }))
        .filter(({ line }) => assignment.test(line) && !/===|!==/.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });

  it('spells the list of task states once', () => {
    const list = /'blocked',\s*'ready',\s*'assigned'/;
    const lists = [...sources('src'), ...sources('machines')].filter((file) =>
      list.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(lists).toEqual(['machines/task-states.ts']);
  });
});
