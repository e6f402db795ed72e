// Scenario: the dashboard under load. 100 agents run 50k tasks that each yield once to the
// event loop (as I/O-bound work does; no-op tasks would run as one microtask chain and no
// timer, the feed's included, could fire until the end). Three passes, each its own
// system: without the dashboard (the baseline), with it serving and a feed client in this
// process (feed latency, messages, bytes), and with the real page open in headless
// Chromium (frames drawn and the longest gap between two; skipped without Chromium).
import { request } from 'node:http';
import { type Dashboard, serveDashboard } from '../../../src/dashboard/index.js';
import type { OverseerSystem } from '../../../src/index.js';
import { openBrowser } from '../../dashboard/browser.js';
import { quantile, type Row, row, type ScenarioResult, summarize } from '../harness.js';
import { Milestones } from '../milestones.js';
import { noopSpecs, noopSystem } from '../overseer-runner.js';

const AGENTS = 100;
const yieldOnce = () => new Promise<number>((resolve) => setImmediate(resolve, 1));

interface FeedFigures {
  messages: number;
  bytes: number;
  /** Ms from a frame's clock time to its arrival, parsed, at the client. */
  readonly latencies: number[];
  /** Longest gap between two messages while the run went on, ms. */
  maxGapMs: number;
}

// Run in the page, as text: tsx would name the functions of a closure with a helper the
// page does not have.
const COUNT_FRAMES = `(() => {
  window.frames_ = [];
  const tick = (t) => { window.frames_.push(t); requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})()`;
const FRAME_FIGURES = `(() => {
  const f = window.frames_;
  let maxGapMs = 0;
  for (let i = 1; i < f.length; i++) maxGapMs = Math.max(maxGapMs, f[i] - f[i - 1]);
  return { frames: f.length, seconds: (f[f.length - 1] - f[0]) / 1000, maxGapMs, updates: Number(document.body.dataset.updates) };
})()`;

/** Wall ms to run `n` tasks; `attach` hooks a dashboard onto the system before the run. */
async function run(n: number, attach?: (system: OverseerSystem) => Promise<() => Promise<void>>) {
  const system = noopSystem(AGENTS, { handler: yieldOnce }).start();
  const detach = attach ? await attach(system) : undefined;
  const milestones = new Milestones();
  system.on('task.completed', milestones.tick);
  const start = performance.now();
  await system.submitMany(noopSpecs(n));
  const end = (await milestones.reached(n)) ?? Number.NaN;
  await detach?.();
  await system.stop({ timeoutMs: 0 });
  return end - start;
}

function followFeed(dashboard: Dashboard, figures: { feed?: FeedFigures }): () => void {
  const feed: FeedFigures & { last: number } = {
    messages: 0,
    bytes: 0,
    latencies: [],
    maxGapMs: 0,
    last: 0,
  };
  figures.feed = feed;
  const req = request(new URL('/feed', dashboard.url), (res) => {
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      feed.bytes += Buffer.byteLength(chunk);
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const data = buffer.slice(buffer.indexOf('data: ') + 6, end);
        buffer = buffer.slice(end + 2);
        const frame = JSON.parse(data) as { at: number };
        const now = performance.now();
        feed.latencies.push(Date.now() - frame.at);
        if (feed.messages > 0) feed.maxGapMs = Math.max(feed.maxGapMs, now - feed.last);
        feed.last = now;
        feed.messages++;
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return () => req.destroy();
}

export async function dashboard(quick: boolean): Promise<ScenarioResult> {
  const n = quick ? 10_000 : 50_000;
  const passes = quick ? 1 : 3;
  const bare: number[] = [];
  const withFeed: number[] = [];
  const withPage: number[] = [];
  const feeds: FeedFigures[] = [];
  const pages: { frames: number; seconds: number; maxGapMs: number; updates: number }[] = [];
  const browser = await openBrowser({ bypassCSP: true }).catch(() => undefined);
  await run(Math.min(n, 5_000)); // warm-up
  for (let pass = 0; pass < passes; pass++) {
    bare.push(await run(n));
    const figures: { feed?: FeedFigures } = {};
    withFeed.push(
      await run(n, async (system) => {
        const d = await serveDashboard(system, { feedIntervalMs: 250 });
        const stop = followFeed(d, figures);
        return async () => {
          stop();
          await d.close();
        };
      }),
    );
    if (figures.feed) feeds.push(figures.feed);
    if (!browser) continue;
    withPage.push(
      await run(n, async (system) => {
        const d = await serveDashboard(system, { feedIntervalMs: 250 });
        const page = await browser.context.newPage();
        await page.goto(d.url);
        await page.waitForFunction('Number(document.body.dataset.updates) > 0');
        await page.evaluate(COUNT_FRAMES);
        return async () => {
          const f = (await page.evaluate(FRAME_FIGURES)) as (typeof pages)[number];
          pages.push(f);
          await page.close();
          await d.close();
        };
      }),
    );
  }
  await browser?.close();
  const rate = (ms: number[]) => summarize(ms.map((m) => (n * 1_000) / m));
  const base = rate(bare);
  const rows: Row[] = [
    row(`${n / 1_000}k tasks on ${AGENTS} agents, no dashboard`, base, 'tasks/s'),
  ];
  const fed = rate(withFeed);
  rows.push(
    row('with the dashboard serving a feed client', fed, 'tasks/s', {
      ratio: fed.median / base.median,
      baseline: 'no dashboard',
    }),
  );
  const latencies = feeds.flatMap((f) => f.latencies).sort((a, b) => a - b);
  const seconds = withFeed.reduce((s, ms) => s + ms, 0) / 1_000;
  const messages = feeds.reduce((s, f) => s + f.messages, 0);
  rows.push(row('feed messages per second (interval 250 ms)', messages / seconds, 'msg/s'));
  rows.push(
    row('feed bytes per second', feeds.reduce((s, f) => s + f.bytes, 0) / seconds / 1_024, 'KiB/s'),
  );
  rows.push(row('feed latency p50 (frame to client)', quantile(latencies, 0.5), 'ms'));
  rows.push(row('feed latency p99', quantile(latencies, 0.99), 'ms'));
  rows.push(
    row('longest gap between feed messages', Math.max(...feeds.map((f) => f.maxGapMs)), 'ms'),
  );
  if (withPage.length > 0) {
    const paged = rate(withPage);
    rows.push(
      row('with the page open in Chromium', paged, 'tasks/s', {
        ratio: paged.median / base.median,
        baseline: 'no dashboard',
      }),
    );
    const frames =
      pages.reduce((s, p) => s + p.frames, 0) / pages.reduce((s, p) => s + p.seconds, 0);
    rows.push(row('page frames per second during the run', frames, 'fps'));
    rows.push(
      row('longest gap between page frames', Math.max(...pages.map((p) => p.maxGapMs)), 'ms'),
    );
    rows.push(
      row(
        'feed updates the page rendered per run',
        summarize(pages.map((p) => p.updates)),
        'updates',
      ),
    );
  }
  return {
    scenario: 'dashboard',
    rows,
    notes: [
      'tasks yield once to the event loop each (setImmediate), as I/O-bound work does',
      browser
        ? 'the page: Chromium headless, the real dashboard page, frames counted by requestAnimationFrame'
        : 'no Chromium found: the page pass was skipped',
    ],
  };
}
