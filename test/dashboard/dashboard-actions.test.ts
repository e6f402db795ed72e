// The dashboard's actions in a real browser: cancel with the token (and refused without
// it), a read-only page without a token, pause and resume dispatch, drain an agent.
import { describe, expect, it } from 'vitest';
import {
  openDetail,
  pageSessions,
  runUntil,
  submitOne,
  TOKEN,
  text,
  waitAttribute,
  waitText,
} from './page-session.js';

const start = pageSessions();

describe('the dashboard page’s actions', () => {
  it('cancels a task from its detail with the token; without it the server refuses and nothing is cancelled', async () => {
    const { fixture, page } = await start({ token: TOKEN, withToken: true });
    const hold = { type: 'hold', capabilities: ['io'], input: { holdMs: 1_000_000 } };
    const first = await submitOne(fixture, hold);
    const second = await submitOne(fixture, hold);
    await runUntil(fixture, () => fixture.system.task(second).state === 'running', 1_000);

    // Without the token, and with a wrong one: refused, the task still runs.
    const refused = await page.evaluate(async (id) => {
      const bare = await fetch(`/api/tasks/${id}/cancel`, { method: 'POST' });
      const wrong = await fetch(`/api/tasks/${id}/cancel`, {
        method: 'POST',
        headers: { authorization: 'Bearer not-the-token-at-all' },
      });
      return [bare.status, wrong.status];
    }, second);
    expect(refused).toEqual([401, 401]);
    expect(fixture.system.task(second).state).toBe('running');

    await openDetail(page, first);
    await waitText(page, 'detail-state', 'running');
    await page.getByTestId('cancel-task').click();
    await waitText(page, 'detail-state', 'cancelled');
    expect(fixture.system.task(first).state).toBe('cancelled');
    expect(fixture.system.task(second).state).toBe('running');
    expect(await text(page, 'action-status')).toContain('cancelled');
  });

  it('is read-only without a token: no action buttons, and the server refuses actions', async () => {
    const { fixture, page } = await start();
    const id = await submitOne(fixture, {
      type: 'hold',
      capabilities: ['io'],
      input: { holdMs: 1_000_000 },
    });
    await runUntil(fixture, () => fixture.system.task(id).state === 'running', 1_000);
    await page.getByTestId('read-only').waitFor();
    await openDetail(page, id);
    expect(await page.getByTestId('cancel-task').count()).toBe(0);
    expect(await page.locator('[data-testid^="drain-"]').count()).toBe(0);
    const status = await page.evaluate(
      async (taskId) =>
        (
          await fetch(`/api/tasks/${taskId}/cancel`, {
            method: 'POST',
            headers: { authorization: 'Bearer whatever-token-1234' },
          })
        ).status,
      id,
    );
    expect(status).toBe(403);
    expect(fixture.system.task(id).state).toBe('running');
  });

  it('pauses and resumes dispatch, and drains an agent, from its buttons', async () => {
    const { fixture, page } = await start({ token: TOKEN, withToken: true });
    await page.getByTestId('pause').click();
    await waitAttribute(page, 'dispatch', 'data-paused', 'true');
    expect(fixture.system.dispatchPaused).toBe(true);
    const waiting = await submitOne(fixture, { type: 'resize', capabilities: ['cpu'] });
    await fixture.advance(200);
    expect(fixture.system.task(waiting).state).toBe('ready');
    await page.getByTestId('resume').click();
    await waitAttribute(page, 'dispatch', 'data-paused', 'false');
    await runUntil(fixture, () => fixture.system.task(waiting).state === 'completed', 2_000);

    await page.getByTestId('drain-cpu-4').click();
    await runUntil(
      fixture,
      () => fixture.system.agents().find((a) => a.id === 'cpu-4')?.state === 'lost',
      1_000,
    );
    await waitAttribute(page, 'tree-agent-cpu-4', 'data-state', null);
    await page.getByTestId('log').getByText('agent left the system').first().waitFor();
    expect(fixture.system.stats().restarts).toBe(0);
  });
});
