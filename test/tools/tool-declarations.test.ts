// Tools are checked at createSystem like every other option: a tool's fields by their path
// (`tools.search.ratePerSec`), and every tool an agent is granted must be declared, named
// with the closest declared one, whether the agent runs inline, in a thread or a process.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createSystem,
  defineTool,
  InvalidAgentDeclaration,
  InvalidSystemOptions,
  type SystemOptions,
} from '../../src/index.js';

const search = defineTool({
  input: z.string(),
  output: z.array(z.string()),
  handler: (q) => [q],
});

/** The error createSystem refuses `options` with, or a test failure if it accepts them. */
function refusal(options: unknown): InvalidAgentDeclaration | InvalidSystemOptions {
  try {
    createSystem(options as SystemOptions);
  } catch (error) {
    return error as InvalidAgentDeclaration;
  }
  throw new Error('expected createSystem to refuse the options');
}

describe('an agent granted a tool the system does not declare', () => {
  it('is refused, naming the grant by its path and the declared tool it was probably meant to be', () => {
    const error = refusal({
      tools: { search },
      agents: [{ id: 'a', tools: ['search', 'serach'], handler: () => 1 }],
    });
    expect(error).toBeInstanceOf(InvalidAgentDeclaration);
    expect(error.field).toBe('agents[0].tools[1]');
    expect(error.message).toBe(
      'invalid agent declaration: agents[0].tools[1] names tool "serach", which the system does not declare; did you mean search?',
    );
  });

  it('lists the declared tools when none is near', () => {
    const error = refusal({
      tools: { search },
      agents: [
        { supervisor: 's', children: [{ id: 'a', tools: ['translate'], handler: () => 1 }] },
      ],
    });
    expect(error.field).toBe('agents[0].children[0].tools[0]');
    expect(error.problem).toBe(
      'names tool "translate", which the system does not declare; it declares search',
    );
  });

  it('says so when the system declares no tools at all', () => {
    expect(refusal({ agents: [{ id: 'a', tools: ['search'], handler: () => 1 }] }).problem).toBe(
      'names tool "search", but the system declares no tools (createSystem({ tools }))',
    );
  });

  it('is refused when the grant is not a list of names', () => {
    expect(
      refusal({ tools: { search }, agents: [{ id: 'a', tools: 'search', handler: () => 1 }] }),
    ).toMatchObject({ field: 'agents[0].tools' });
  });

  it('is accepted when every grant is declared', () => {
    expect(() =>
      createSystem({
        tools: { search },
        agents: [{ id: 'a', tools: ['search'], handler: () => 1 }],
      }),
    ).not.toThrow();
  });
});

describe('isolated agents', () => {
  it.each(['thread', 'process'] as const)('may be granted tools (runs: %s)', (runs) => {
    expect(() =>
      createSystem({
        tools: { search },
        agents: [{ id: 'a', runs, module: './worker.js', tools: ['search'] }],
      }),
    ).not.toThrow();
  });
});

describe('the tools option', () => {
  it.each([
    ['not an object', [search], 'tools', 'must be an object of tools by name, got an array'],
    [
      'a tool without handler',
      { s: { ...search, handler: undefined } },
      'tools.s.handler',
      'is required',
    ],
    [
      'a schema that is not a Standard Schema',
      { s: { ...search, input: { parse: () => 1 } } },
      'tools.s.input',
      'must be a Standard Schema (zod, valibot, arktype...), got an object',
    ],
    [
      'a zero timeout',
      { s: { ...search, timeoutMs: 0 } },
      'tools.s.timeoutMs',
      'must be a finite number > 0, got 0',
    ],
    [
      'a fractional concurrency',
      { s: { ...search, concurrency: 1.5 } },
      'tools.s.concurrency',
      'must be a positive integer, got 1.5',
    ],
    [
      'a negative rate',
      { s: { ...search, ratePerSec: -1 } },
      'tools.s.ratePerSec',
      'must be a finite number > 0, got -1',
    ],
    [
      'burst without a rate',
      { s: { ...search, burst: 3 } },
      'tools.s.burst',
      'applies with ratePerSec only',
    ],
    [
      'an unknown overRate',
      { s: { ...search, ratePerSec: 1, overRate: 'drop' } },
      'tools.s.overRate',
      'must be one of wait, reject, got "drop"',
    ],
    [
      'a retry without backoff',
      { s: { ...search, retry: { maxAttempts: 2 } } },
      'tools.s.retry.backoff',
      'must be an object, got undefined',
    ],
    [
      'a misspelled field',
      { s: { ...search, timeout: 5 } },
      'tools.s.timeout',
      'is not a tool field; did you mean timeoutMs?',
    ],
  ])('refuses %s, naming the field', (_story, tools, field, problem) => {
    const error = refusal({ tools });
    expect(error).toBeInstanceOf(InvalidSystemOptions);
    expect(error).toMatchObject({ field, problem });
  });

  it('suggests tools for a misspelled option name', () => {
    expect(refusal({ tool: { search } }).problem).toBe('is an unknown option; did you mean tools?');
  });
});
