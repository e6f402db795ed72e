// `openai` is an optional peer dependency: only the `overseer/openai` entry may import it.
// This walks the source import graph from each core entry point and lists the packages it
// reaches, so an import of the adapter (or of `openai`) from the core fails here.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const specifiers = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

/** The source files reachable from `entry` by relative imports, and the packages they import. */
function importGraph(entry: string) {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, spec = ''] of readFileSync(join(root, file), 'utf8').matchAll(specifiers)) {
      if (!spec.startsWith('.')) {
        packages.add(spec);
        continue;
      }
      const target = join(dirname(file), spec).replace(/\.js$/, '.ts');
      if (!existsSync(join(root, target))) throw new Error(`${file}: cannot resolve ${spec}`);
      visit(relative(root, join(root, target)));
    }
  };
  visit(entry);
  return { files, packages: [...packages] };
}

const isOpenAi = (spec: string) => spec === 'openai' || spec.startsWith('openai/');
const core = [
  'src/index.ts',
  'machines/index.ts',
  'src/testing/index.ts',
  'src/observability/prometheus.ts',
];

describe('the openai adapter stays out of the core', () => {
  it.each(core)('%s reaches neither the adapter nor the openai package', (entry) => {
    const { files, packages } = importGraph(entry);
    expect(files.size).toBeGreaterThan(entry === 'src/index.ts' ? 50 : 0);
    expect([...files].filter((f) => f.startsWith('src/adapters/'))).toEqual([]);
    expect(packages.filter(isOpenAi)).toEqual([]);
  });

  it('is found by the same walk from the overseer/openai entry', () => {
    expect(importGraph('src/adapters/openai-agent.ts').packages.filter(isOpenAi)).toEqual([
      'openai',
    ]);
  });

  it('is declared as an optional peer dependency, never a dependency', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.dependencies).not.toHaveProperty('openai');
    expect(pkg.peerDependencies).toHaveProperty('openai');
    expect(pkg.peerDependenciesMeta).toEqual(
      expect.objectContaining({ openai: { optional: true } }),
    );
    expect(pkg.exports['./openai']).toEqual({
      types: './dist/src/adapters/openai-agent.d.ts',
      default: './dist/src/adapters/openai-agent.js',
    });
  });
});
