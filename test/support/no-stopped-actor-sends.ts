// Nothing is ever sent to a stopped actor: XState's development build warns when it
// happens (`Event "…" was sent to stopped actor "…"`), and such a warning fails the test
// it happened in. An event sent to a stopped actor is an event the runtime routed to an
// incarnation that is gone (a task's report to an agent that was restarted, say).
import { afterEach, beforeEach, expect } from 'vitest';

const STOPPED = 'was sent to stopped actor';
let seen: string[] = [];
const original = console.warn;

beforeEach(() => {
  seen = [];
  console.warn = (...args: unknown[]) => {
    const text = args.map(String).join(' ');
    if (text.includes(STOPPED)) seen.push(text);
    original.apply(console, args);
  };
});

afterEach(() => {
  console.warn = original;
  expect(seen, 'events sent to stopped actors').toEqual([]);
});
