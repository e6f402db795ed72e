// docs/examples/tools.ts, which docs/tools.md shows, runs as pasted.
import { describe, expect, it } from 'vitest';

describe('docs/examples/tools', () => {
  it('searches through a granted tool and is refused one it was not granted', async () => {
    const example = await import('../../docs/examples/tools.js');
    expect(example.found).toEqual(['otters hold hands', 'otters use tools']);
    expect(example.refused).toBe('agent writer was not granted tool "publish"; it has search');
    expect(example.searchCalls).toMatchObject({ ok: 1, error: 0 });
  });
});
