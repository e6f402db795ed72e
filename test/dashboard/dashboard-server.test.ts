// The dashboard's HTTP server without a browser: where it listens, who may act (bearer
// token, same origin, own host name), no CORS, and a feed that coalesces bursts of events.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type Dashboard, serveDashboard } from '../../src/dashboard/index.js';
import { InvalidDashboardOptions } from '../../src/errors/index.js';
import { type DemoFixture, demoFixture } from './fixtures/demo-system.js';

const TOKEN = 'server-test-token-0123456789';
let opened: { fixture: DemoFixture; dashboard: Dashboard } | undefined;

afterEach(async () => {
  await opened?.dashboard.close();
  await opened?.fixture.stop();
  opened = undefined;
});

async function serve(token?: string) {
  const fixture = demoFixture();
  const dashboard = await serveDashboard(fixture.system, {
    feedIntervalMs: 20,
    ...(token ? { token } : {}),
  });
  opened = { fixture, dashboard };
  return { fixture, dashboard };
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function call(
  url: string,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, url),
      { method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function runningHold(fixture: DemoFixture): Promise<string> {
  const { id } = await fixture.system.submit({
    type: 'hold',
    capabilities: ['io'],
    input: { holdMs: 1_000_000 },
  });
  for (let t = 0; t < 1_000 && fixture.system.task(id).state !== 'running'; t += 10)
    await fixture.advance(10);
  expect(fixture.system.task(id).state).toBe('running');
  return id;
}

const corsHeaders = (answer: Answer) =>
  Object.keys(answer.headers).filter((h) => h.startsWith('access-control-'));

describe('the dashboard server', () => {
  it('listens on 127.0.0.1 by default and serves the page and its assets from the package', async () => {
    const { dashboard } = await serve();
    expect(new URL(dashboard.url).hostname).toBe('127.0.0.1');
    const page = await call(dashboard.url, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<script type="module" src="/app.js">');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const chart = await call(dashboard.url, '/vendor/uPlot.esm.js');
    expect(chart.status).toBe(200);
    expect(chart.headers['content-type']).toContain('javascript');
    expect((await call(dashboard.url, '/../package.json')).status).toBe(404);
    expect((await call(dashboard.url, '/api/tasks/nope')).status).toBe(404);
  });

  it('sends no CORS headers, answers no preflight, and refuses cross-origin actions even with the token', async () => {
    const { fixture, dashboard } = await serve(TOKEN);
    const id = await runningHold(fixture);
    const origin = 'http://evil.example';
    const read = await call(dashboard.url, '/api/tasks', { headers: { origin } });
    expect(corsHeaders(read)).toEqual([]);
    const preflight = await call(dashboard.url, `/api/tasks/${id}/cancel`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(405);
    expect(corsHeaders(preflight)).toEqual([]);
    const cross = await call(dashboard.url, `/api/tasks/${id}/cancel`, {
      method: 'POST',
      headers: { origin, authorization: `Bearer ${TOKEN}` },
    });
    expect(cross.status).toBe(403);
    expect(corsHeaders(cross)).toEqual([]);
    expect(fixture.system.task(id).state).toBe('running');
  });

  it('answers only to its own host name, so a rebound DNS name cannot read it', async () => {
    const { dashboard } = await serve();
    const port = new URL(dashboard.url).port;
    expect(
      (await call(dashboard.url, '/api/tasks', { headers: { host: `evil.example:${port}` } }))
        .status,
    ).toBe(421);
    expect(
      (await call(dashboard.url, '/api/tasks', { headers: { host: `localhost:${port}` } })).status,
    ).toBe(200);
  });

  it('takes an action only with the bearer token it was started with', async () => {
    const { fixture, dashboard } = await serve(TOKEN);
    const id = await runningHold(fixture);
    const cancel = (headers: Record<string, string>) =>
      call(dashboard.url, `/api/tasks/${id}/cancel`, { method: 'POST', headers });
    expect((await cancel({})).status).toBe(401);
    expect((await cancel({ authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await cancel({ authorization: `Basic ${TOKEN}` })).status).toBe(401);
    expect(fixture.system.task(id).state).toBe('running');
    const done = await cancel({ authorization: `Bearer ${TOKEN}` });
    expect(done.status).toBe(200);
    expect(JSON.parse(done.body)).toEqual({ ok: true, outcome: 'cancelled' });
    expect(fixture.system.task(id).state).toBe('cancelled');
  });

  it('is read-only without a token: every action is refused and changes nothing', async () => {
    const { fixture, dashboard } = await serve();
    const id = await runningHold(fixture);
    const auth = { authorization: `Bearer ${TOKEN}` };
    for (const path of [
      `/api/tasks/${id}/cancel`,
      '/api/agents/cpu-1/drain',
      '/api/dispatch/pause',
    ])
      expect((await call(dashboard.url, path, { method: 'POST', headers: auth })).status).toBe(403);
    expect(fixture.system.task(id).state).toBe('running');
    expect(fixture.system.dispatchPaused).toBe(false);
    expect(fixture.system.agents().find((a) => a.id === 'cpu-1')?.state).not.toBe('lost');
  });

  it('reports a bad action as a conflict naming it (an unknown agent to drain)', async () => {
    const { dashboard } = await serve(TOKEN);
    const answer = await call(dashboard.url, '/api/agents/nobody/drain', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(answer.status).toBe(409);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'UnknownAgent' });
  });

  it('refuses options it cannot use, naming them', async () => {
    const { system } = demoFixture();
    await expect(serveDashboard(system, { token: 'short' })).rejects.toThrow(
      InvalidDashboardOptions,
    );
    // A typo is refused, not a default: a misspelt token would leave the page read-only.
    await expect(
      serveDashboard(system, { tokne: 'a-long-enough-token-123' } as never),
    ).rejects.toThrow('invalid dashboard option tokne: is an unknown option; did you mean token?');
    await expect(serveDashboard(system, { port: 70_000 })).rejects.toThrow(/port/);
    await expect(serveDashboard(system, { feedIntervalMs: 0 })).rejects.toThrow(/feedIntervalMs/);
    await system.stop({ timeoutMs: 0 }).catch(() => undefined);
  });

  it('coalesces a burst of 20,000 events into one feed update', async () => {
    const { fixture, dashboard } = await serve();
    const messages: { kind: string; submitted: number; recent: number }[] = [];
    let seen: () => void = () => undefined;
    let connected: () => void = () => undefined;
    const whole = new Promise<void>((resolve) => {
      connected = resolve;
    });
    const burstSeen = new Promise<void>((resolve) => {
      seen = resolve;
    });
    const feed = request(new URL('/feed', dashboard.url), (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const [event = '', data = ''] = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          const frame = JSON.parse(data.slice('data: '.length));
          messages.push({
            kind: event.slice('event: '.length),
            submitted: frame.tasks.submitted,
            recent: frame.recent.length,
          });
          if (frame.tasks.submitted === 10_000) seen();
          connected();
        }
      });
    });
    feed.on('error', () => undefined);
    feed.end();
    await whole;
    // Queued, not run: the burst is the submissions alone.
    fixture.system.pauseDispatch();
    // 10,000 tasks in one call: task.submitted and task.ready each, 20,000 events at once.
    const events = { count: 0 };
    const off = fixture.system.on('*', () => events.count++);
    await fixture.system.submitMany(
      Array.from({ length: 10_000 }, () => ({
        type: 'burst',
        capabilities: ['io'],
      })),
    );
    off();
    expect(events.count).toBeGreaterThanOrEqual(20_000);
    await burstSeen;
    feed.destroy();
    // The whole frame on connect, perhaps an update before the burst, then one with all of it.
    const first = messages.findIndex((m) => m.submitted === 10_000);
    expect(first).toBeLessThanOrEqual(2);
    expect(messages[first]?.kind).toBe('update');
    expect(messages[first]?.recent).toBeLessThanOrEqual(100);
  });
});
