import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromPromise } from 'xstate';
import { InvalidAgentDeclaration } from '../../src/errors/index.js';
import { validateDeclarations } from '../../src/validation/validate-agent-declaration.js';

const handler = async () => 'done';

/** The InvalidAgentDeclaration thrown for `agents`, or a test failure if none is. */
function refusal(agents: unknown): InvalidAgentDeclaration {
  try {
    validateDeclarations(agents);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidAgentDeclaration);
    expect((error as InvalidAgentDeclaration).code).toBe('InvalidAgentDeclaration');
    return error as InvalidAgentDeclaration;
  }
  throw new Error('expected the declarations to be refused');
}

describe('valid declarations pass', () => {
  it('accepts agents with handlers or actor logic, grouped under supervisors', () => {
    expect(() =>
      validateDeclarations([
        { id: 'cpu', capabilities: ['resize'], resources: { cpu: 2 }, concurrency: 2, handler },
        {
          supervisor: 'gpus',
          strategy: 'one_for_all',
          intensity: { maxRestarts: 3, periodMs: 1_000 },
          restart: 'transient',
          children: [
            { id: 'gpu', replicas: 2, restart: 'temporary', heartbeat: 'manual', handler },
            { id: 'logic', shutdownTimeoutMs: 0, logic: fromPromise(async () => 1) },
          ],
        },
      ]),
    ).not.toThrow();
  });
});

describe('an invalid declaration is refused, naming the field by its path', () => {
  it.each([
    ['not an array', { id: 'w', handler }, 'agents', 'must be an array, got an object'],
    ['not an object', ['w'], 'agents[0]', 'must be an object, got "w"'],
    ['an empty id', [{ id: '', handler }], 'agents[0].id', 'must be a non-empty string, got ""'],
    ['a missing id', [{ handler }], 'agents[0].id', 'must be a non-empty string, got undefined'],
    [
      'an empty capability',
      [{ id: 'w', capabilities: [''], handler }],
      'agents[0].capabilities[0]',
      'must be a non-empty string, got ""',
    ],
    [
      'a negative resource',
      [{ id: 'w', resources: { gpu: -1 }, handler }],
      'agents[0].resources.gpu',
      'must be a finite number >= 0, got -1',
    ],
    [
      'a concurrency of zero',
      [
        { id: 'w', handler },
        { id: 'v', concurrency: 0, handler },
      ],
      'agents[1].concurrency',
      'must be a positive integer, got 0',
    ],
    [
      'fractional replicas',
      [{ id: 'w', replicas: 1.5, handler }],
      'agents[0].replicas',
      'must be a positive integer, got 1.5',
    ],
    [
      'an unknown restart type',
      [{ id: 'w', restart: 'always', handler }],
      'agents[0].restart',
      'must be one of permanent, transient, temporary, got "always"',
    ],
    [
      'a negative shutdown timeout',
      [{ id: 'w', shutdownTimeoutMs: -1, handler }],
      'agents[0].shutdownTimeoutMs',
      'must be a finite number >= 0, got -1',
    ],
    [
      'an unknown heartbeat mode',
      [{ id: 'w', heartbeat: 'auto-ish', handler }],
      'agents[0].heartbeat',
      'must be one of auto, manual, got "auto-ish"',
    ],
    [
      'no work',
      [{ id: 'w' }],
      'agents[0].handler',
      'is required (or logic): the agent has no work to do',
    ],
    [
      'both handler and logic',
      [{ id: 'w', handler, logic: fromPromise(handler) }],
      'agents[0].logic',
      'cannot be given together with handler',
    ],
    [
      'a handler that is no function',
      [{ id: 'w', handler: 'run' }],
      'agents[0].handler',
      'must be a function, got "run"',
    ],
    [
      'logic that is no actor logic',
      [{ id: 'w', logic: {} }],
      'agents[0].logic',
      'must be XState actor logic (a machine, fromPromise...), got an object',
    ],
    [
      'a misspelled agent field',
      [{ id: 'w', concurency: 2, handler }],
      'agents[0].concurency',
      'is not an agent declaration field',
    ],
  ])('%s', (_story, agents, field, problem) => {
    const error = refusal(agents);
    expect(error).toMatchObject({ field, problem });
    expect(error.message).toBe(`invalid agent declaration: ${field} ${problem}`);
  });
});

describe('supervisors are checked all the way down', () => {
  const tree = (child: unknown, supervisor: Record<string, unknown> = {}) => [
    { id: 'front', handler },
    {
      supervisor: 'outer',
      children: [
        { id: 'a', handler },
        { supervisor: 'inner', children: [child], ...supervisor },
      ],
    },
  ];

  it('names a nested agent field by its full path', () => {
    expect(refusal(tree({ id: 'deep', concurrency: -2, handler }))).toMatchObject({
      field: 'agents[1].children[1].children[0].concurrency',
    });
  });

  it.each([
    [
      'an unknown strategy',
      { strategy: 'all_for_one' },
      'strategy',
      'must be one of one_for_one, one_for_all, rest_for_one, got "all_for_one"',
    ],
    [
      'an intensity that is no object',
      { intensity: 3 },
      'intensity',
      'must be an object { maxRestarts, periodMs }, got 3',
    ],
    [
      'a negative maxRestarts',
      { intensity: { maxRestarts: -1, periodMs: 10 } },
      'intensity.maxRestarts',
      'must be a non-negative integer, got -1',
    ],
    [
      'a zero periodMs',
      { intensity: { maxRestarts: 1, periodMs: 0 } },
      'intensity.periodMs',
      'must be a finite number > 0, got 0',
    ],
    [
      'a misspelled intensity field',
      { intensity: { maxRestarts: 1, period: 10 } },
      'intensity.period',
      'is not an intensity field',
    ],
    [
      'no children',
      { children: [] },
      'children',
      'must be a non-empty array of agent or supervisor declarations, got an array',
    ],
    [
      'an empty supervisor id',
      { supervisor: '' },
      'supervisor',
      'must be a non-empty string, got ""',
    ],
    [
      'missing children',
      { children: undefined },
      'children',
      'must be a non-empty array of agent or supervisor declarations, got undefined',
    ],
    [
      'an agent field on a supervisor',
      { concurrency: 2 },
      'concurrency',
      'is not a supervisor declaration field',
    ],
  ])('refuses %s', (_story, override, field, problem) => {
    const error = refusal(tree({ id: 'deep', handler }, override));
    expect(error).toMatchObject({ field: `agents[1].children[1].${field}`, problem });
  });
});

describe('ids are unique across the whole tree', () => {
  it('refuses an agent id used twice, naming both places', () => {
    const error = refusal([
      { supervisor: 's', children: [{ id: 'w', handler }] },
      { id: 'w', handler },
    ]);
    expect(error).toMatchObject({
      field: 'agents[1].id',
      problem: 'gives id "w", already used at agents[0].children[0].id',
    });
  });

  it('refuses an agent sharing its id with a supervisor', () => {
    const error = refusal([{ supervisor: 'pool', children: [{ id: 'pool', handler }] }]);
    expect(error.field).toBe('agents[0].children[0].id');
  });

  it('refuses an id that collides with the expanded id of a replica', () => {
    const error = refusal([
      { id: 'w', replicas: 3, handler },
      { id: 'w-2', handler },
    ]);
    expect(error).toMatchObject({
      field: 'agents[1].id',
      problem: 'gives id "w-2", already used at agents[0].replicas',
    });
  });

  it('allows ids next to a replica range, and checks a huge range without expanding it', () => {
    const agents = [
      { id: 'w', replicas: Number.MAX_SAFE_INTEGER, handler },
      { id: 'w-01', handler },
      { id: 'w-1-1', handler },
      { id: 'v', replicas: 2, handler },
      { id: 'v-3', handler },
    ];
    expect(() => validateDeclarations(agents)).not.toThrow();
    expect(refusal([...agents, { id: 'w-77', handler }]).field).toBe('agents[5].id');
  });

  it('refuses replicas expanding onto an id declared before them', () => {
    const error = refusal([
      { id: 'w-1', handler },
      { id: 'w', replicas: 2, handler },
    ]);
    expect(error).toMatchObject({
      field: 'agents[1].replicas',
      problem: expect.stringContaining('"w-1"'),
    });
  });
});

describe('supervisor ids the runtime needs for itself are refused', () => {
  it('refuses a nested supervisor named root, which names the system root supervisor', () => {
    const error = refusal([
      { id: 'front', handler },
      { supervisor: 'outer', children: [{ supervisor: 'root', children: [{ id: 'w', handler }] }] },
    ]);
    expect(error).toMatchObject({ field: 'agents[1].children[0].supervisor' });
    expect(error.problem).toContain("reserved for the system's root supervisor");
  });

  it('refuses two supervisors with the same id in different branches of the tree', () => {
    const error = refusal([
      { supervisor: 'pool', children: [{ id: 'a', handler }] },
      { supervisor: 'outer', children: [{ supervisor: 'pool', children: [{ id: 'b', handler }] }] },
    ]);
    expect(error).toMatchObject({
      field: 'agents[1].children[0].supervisor',
      problem: 'gives id "pool", already used at agents[0].supervisor',
    });
  });

  it('refuses a supervisor id with a slash, the separator of split pools (<id>/<n>)', () => {
    const error = refusal([{ supervisor: 'gpus/0', children: [{ id: 'w', handler }] }]);
    expect(error).toMatchObject({ field: 'agents[0].supervisor' });
    expect(error.problem).toContain('must not contain "/"');
  });
});

describe('validateDeclarations at the boundary of user input', () => {
  it('throws nothing but InvalidAgentDeclaration, for any declarations at all', () => {
    // Shallow values: the tree's depth comes from nested children, and deep noise only slows
    // generation down.
    const value = fc.anything({
      maxDepth: 1,
      maxKeys: 3,
      withNullPrototype: true,
      withObjectString: true,
    });
    const field = fc.constantFrom(
      'id',
      'supervisor',
      'children',
      'replicas',
      'intensity',
      'handler',
    );
    const declaration = fc.letrec((tie) => ({
      decl: fc.oneof(
        { depthSize: 'small' },
        value,
        fc.dictionary(
          field,
          fc.oneof(value, fc.constant(handler), fc.array(tie('decl'), { maxLength: 3 })),
        ),
      ),
    })).decl;
    fc.assert(
      fc.property(fc.oneof(value, fc.array(declaration, { maxLength: 4 })), (agents) => {
        try {
          validateDeclarations(agents);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidAgentDeclaration);
        }
      }),
    );
  });
});
