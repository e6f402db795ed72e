// CPU profiles of overseer's own part of a scenario (`npm run bench -- --cpu-prof`): V8's
// sampling profiler around one call, positions mapped back to the TypeScript sources
// (tsx compiles each file to one line), saved as .cpuprofile for DevTools and summarized
// as the functions and files with the most self time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { findSourceMap } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: CallFrame;
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

let directory: string | undefined;

/** Turns profiling on for this process: profiles go to `dir`, summaries to stderr. */
export function profileInto(dir: string): void {
  directory = dir;
  mkdirSync(dir, { recursive: true });
}

/** Runs `fn`, under the profiler when profiling is on, saving the profile as `<name>.cpuprofile`. */
export async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (directory === undefined) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    session.disconnect();
    toSources(profile);
    const path = join(directory, `${name}.cpuprofile`);
    writeFileSync(path, JSON.stringify(profile));
    process.stderr.write(formatSummary(path, profile));
  }
}

function toSources(profile: CpuProfile): void {
  for (const { callFrame } of profile.nodes) {
    if (!callFrame.url.startsWith('file://')) continue;
    const entry = findSourceMap(callFrame.url)?.findEntry(
      callFrame.lineNumber,
      callFrame.columnNumber,
    );
    if (!entry || !('originalLine' in entry)) continue;
    callFrame.lineNumber = entry.originalLine;
    callFrame.columnNumber = entry.originalColumn;
  }
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function place(url: string): string {
  if (url === '') return '(native)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return path.startsWith('/') ? relative(ROOT, path) : path;
}

interface HotSpot {
  readonly label: string;
  selfUs: number;
}

const ours = (url: string) => /\/(src|machines)\//.test(url);
const labelOf = (frame: CallFrame) =>
  `${frame.functionName || '(anonymous)'}  ${place(frame.url)}${frame.url === '' ? '' : `:${frame.lineNumber + 1}`}`;

/**
 * Self time per function and per file, and total time (self plus callees) per function
 * of overseer's own code (src/, machines/), each largest first.
 */
function times(profile: CpuProfile) {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node.id);
  const functions = new Map<string, HotSpot>();
  const files = new Map<string, HotSpot>();
  const totals = new Map<string, HotSpot>();
  const add = (into: Map<string, HotSpot>, label: string, us: number) => {
    const spot = into.get(label) ?? into.set(label, { label, selfUs: 0 }).get(label);
    if (spot) spot.selfUs += us;
  };
  let us = 0;
  profile.samples.forEach((id, i) => {
    const frame = frames.get(id);
    const delta = profile.timeDeltas[i] ?? 0;
    if (!frame) return;
    us += delta;
    add(functions, labelOf(frame), delta);
    add(files, place(frame.url), delta);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const f = frames.get(at);
      if (f && ours(f.url)) seen.add(labelOf(f));
    }
    for (const label of seen) add(totals, label, delta);
  });
  const top = (m: Map<string, HotSpot>) => [...m.values()].sort((a, b) => b.selfUs - a.selfUs);
  return { functions: top(functions), files: top(files), totals: top(totals), us };
}

/** The summary as text: the `limit` hottest functions and files. */
export function formatSummary(path: string, profile: CpuProfile, limit = 25): string {
  const { functions, files, totals, us } = times(profile);
  const line = (h: HotSpot) =>
    `${(h.selfUs / 1_000).toFixed(0).padStart(7)} ms ${((h.selfUs / us) * 100).toFixed(1).padStart(5)}%  ${h.label}`;
  return [
    `\nprofile ${path}: ${(us / 1_000).toFixed(0)} ms sampled`,
    'self time by function:',
    ...functions.slice(0, limit).map(line),
    'self time by file:',
    ...files.slice(0, Math.ceil(limit / 2)).map(line),
    "total time (self and callees) of overseer's functions:",
    ...totals.slice(0, limit).map(line),
    '',
  ].join('\n');
}
