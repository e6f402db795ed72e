// The dashboard in a real browser (headless Chromium): the demo workload on a simulated
// clock the test moves, the page following it live: the tree, the counters, a crash, a
// task's detail, and task values shown as text. Every wait is on a condition.
import { describe, expect, it } from 'vitest';
import {
  injectedScriptRan,
  openDetail,
  pageSessions,
  runUntil,
  submitOne,
  text,
  waitText,
  waitTreeAgent,
} from './page-session.js';

const start = pageSessions();

describe('the dashboard page', () => {
  it('shows every agent in the supervision tree, and its counters reach the submitted total', async () => {
    const { fixture, page, errors } = await start();
    for (const id of ['cpu-1', 'cpu-2', 'cpu-3', 'cpu-4', 'gpu-1', 'gpu-2', 'io'])
      await page.getByTestId(`tree-agent-${id}`).waitFor();
    await fixture.submitDue();
    const finished = () => {
      const { tasks } = fixture.system.stats();
      return tasks.completed + tasks.failed + tasks.cancelled === fixture.demoTasks;
    };
    await runUntil(fixture, finished);
    const { completed, failed } = fixture.system.stats().tasks;
    await waitText(page, 'count-submitted', String(fixture.demoTasks));
    await waitText(page, 'count-completed', String(completed));
    await waitText(page, 'count-failed', String(failed));
    expect(
      Number(await text(page, 'count-completed')) + Number(await text(page, 'count-failed')),
    ).toBe(fixture.demoTasks);
    // The classes and the plots follow the run too.
    await page.getByTestId('class-interactive').waitFor();
    await page.getByTestId('plot-throughput').waitFor();
    expect(errors).toEqual([]);
  });

  it('turns a crashed agent red, and back once its supervisor restarted it', async () => {
    const { fixture, page } = await start();
    let restarted: string | undefined;
    fixture.system.on('agent.restarted', (e) => {
      restarted = e.agentId;
    });
    await submitOne(fixture, {
      type: 'crash',
      capabilities: ['gpu'],
      input: { crash: true },
      retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } },
    });
    await runUntil(fixture, () => restarted !== undefined, 1_000);
    const chip = page.getByTestId(`tree-agent-${restarted}`);
    // The restarted agent waits out its restart backoff (500 ms of the clock, not moving now).
    await waitTreeAgent(page, restarted ?? '', 'restarting', true);
    await runUntil(
      fixture,
      () => fixture.system.agents().find((a) => a.id === restarted)?.state === 'idle',
      2_000,
    );
    await waitTreeAgent(page, restarted ?? '', 'idle', false);
    expect(await chip.textContent()).toContain('↻1');
    await page.getByTestId('log').getByText('agent restarted by supervisor').first().waitFor();
  });

  it("shows a task's states with times, attempts, errors and output, and marks its current state in the lifecycle", async () => {
    const { fixture, page } = await start();
    const failing = await submitOne(fixture, {
      type: 'flaky',
      capabilities: ['io'],
      input: { fail: 'upstream said 503' },
    });
    const echo = await submitOne(fixture, {
      type: 'echo',
      capabilities: ['io'],
      input: { echo: { answer: 42 } },
    });
    await runUntil(
      fixture,
      () =>
        ['failed'].includes(fixture.system.task(failing).state) &&
        fixture.system.task(echo).state === 'completed',
      5_000,
    );
    await openDetail(page, failing);
    await waitText(page, 'detail-state', 'failed');
    expect(await text(page, 'detail-attempts')).toBe('2');
    expect(await text(page, 'detail-error')).toContain('upstream said 503');
    const steps = page.getByTestId('detail-steps').locator('tbody tr');
    const states = await steps.evaluateAll((rows) =>
      rows.map((row) => row.getAttribute('data-state')),
    );
    expect(states).toEqual([
      'submitted',
      'ready',
      'assigned',
      'running',
      'retrying',
      'ready',
      'assigned',
      'running',
      'failed',
    ]);
    expect(await steps.last().textContent()).toContain('upstream said 503');
    expect(await steps.nth(1).locator('td').nth(1).textContent()).toMatch(/^\d+\.\d\d s$/);
    const current = page.getByTestId('lifecycle').locator('[data-current="true"]');
    expect(await current.getAttribute('data-state')).toBe('failed');
    expect(await page.getByTestId('lifecycle').locator('g.visited').count()).toBeGreaterThanOrEqual(
      5,
    );

    await openDetail(page, echo);
    await waitText(page, 'detail-state', 'completed');
    expect(await text(page, 'detail-output')).toBe('{"answer":42}');
    expect(
      await page
        .getByTestId('lifecycle')
        .locator('[data-current="true"]')
        .getAttribute('data-state'),
    ).toBe('completed');
  });

  it('renders task types, inputs, errors and outputs that hold markup as text', async () => {
    const { fixture, page, errors } = await start();
    const type = '<img src=x onerror="window.__xss=1">';
    const output = '<script>window.__xss=2</script>';
    const message = '<img src=y onerror="window.__xss=3"><b>bold</b>';
    const shown = await submitOne(fixture, { type, capabilities: ['io'], input: { echo: output } });
    const failed = await submitOne(fixture, {
      type: 'fails',
      capabilities: ['io'],
      input: { fail: message },
      retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } },
    });
    await runUntil(
      fixture,
      () =>
        fixture.system.task(shown).state === 'completed' &&
        fixture.system.task(failed).state === 'failed',
      2_000,
    );
    await page.getByTestId('task-search').fill(shown);
    expect(await page.getByTestId(`task-row-${shown}`).locator('td').nth(1).textContent()).toBe(
      type,
    );
    await openDetail(page, shown);
    await waitText(page, 'detail-state', 'completed');
    expect(await text(page, 'detail-type')).toBe(type);
    expect(await text(page, 'detail-input')).toBe(JSON.stringify({ echo: output }));
    expect(await text(page, 'detail-output')).toBe(JSON.stringify(output));
    await openDetail(page, failed);
    await waitText(page, 'detail-state', 'failed');
    expect(await text(page, 'detail-error')).toContain(message);
    await page.getByTestId('log').getByText(message, { exact: false }).first().waitFor();
    expect(await injectedScriptRan(page)).toBe(false);
    expect(await page.locator('main img, main script, main b').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
