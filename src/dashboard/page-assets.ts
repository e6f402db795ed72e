// The page's files, served from the package itself: the page folder beside this module
// (copied into dist/ by `npm run build`) and uPlot from node_modules. A fixed list of
// names, read once and kept in memory: no path from a request ever reaches the file system.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

const PAGE_FILES = [
  'index.html',
  'style.css',
  'app.js',
  'element.js',
  'feed-state.js',
  'tree-view.js',
  'agents-view.js',
  'tasks-view.js',
  'task-detail.js',
  'lifecycle-diagram.js',
  'plots.js',
  'log-view.js',
  'actions.js',
] as const;

const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
};

const typeOf = (name: string) => TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'text/plain';

/** Every asset by its URL path (`/` is the page). */
export function loadAssets(): ReadonlyMap<string, Asset> {
  const assets = new Map<string, Asset>();
  const pageDir = new URL('./page/', import.meta.url);
  for (const name of PAGE_FILES) {
    const body = readFileSync(fileURLToPath(new URL(name, pageDir)));
    assets.set(name === 'index.html' ? '/' : `/${name}`, { type: typeOf(name), body });
  }
  const require = createRequire(import.meta.url);
  for (const [path, file] of [
    ['/vendor/uPlot.esm.js', 'uplot/dist/uPlot.esm.js'],
    ['/vendor/uPlot.min.css', 'uplot/dist/uPlot.min.css'],
  ] as const) {
    assets.set(path, { type: typeOf(path), body: readFileSync(require.resolve(file)) });
  }
  return assets;
}
