import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/errors/index.js';
import { checkFromAgent } from '../../src/isolation/protocol.js';

const TYPES = new Set(['ready', 'heartbeat', 'progress', 'log', 'result', 'failure']);

describe('the agent protocol, fuzzed', () => {
  it('reads any value without throwing: a valid message, or a typed ProtocolError', () => {
    const nearMiss = fc.record(
      {
        v: fc.oneof(fc.constant(1), fc.integer(), fc.string()),
        type: fc.oneof(fc.constantFrom(...TYPES, 'run', 'abort', ''), fc.string()),
        taskId: fc.oneof(fc.string(), fc.integer(), fc.constant(undefined)),
        progress: fc.oneof(fc.double(), fc.string()),
        note: fc.oneof(fc.string(), fc.integer()),
        message: fc.oneof(fc.string(), fc.constant(null)),
        error: fc.oneof(fc.record({ name: fc.string(), message: fc.string() }), fc.anything()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.anything(), nearMiss), (raw) => {
        const read = checkFromAgent('fuzzed', raw);
        if (read instanceof ProtocolError) {
          // A typed error naming the agent and what was wrong, never an exception.
          expect(read.code).toBe('ProtocolError');
          expect(read.message).toMatch(/^agent fuzzed broke the protocol: .+/);
          return;
        }
        // What is accepted is a message the supervisor can act on, of a known type.
        expect(read.v).toBe(1);
        expect(TYPES.has(read.type)).toBe(true);
        if (read.type !== 'ready' && read.type !== 'heartbeat')
          expect(typeof read.taskId).toBe('string');
        if (read.type === 'progress') expect(Number.isFinite(read.progress)).toBe(true);
      }),
    );
  });
});
