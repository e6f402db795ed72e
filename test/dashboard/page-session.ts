// What the dashboard's browser tests share: one headless Chromium per file, a demo system
// and its dashboard per test, and waits on conditions of the page or the system (never on
// time). The functions handed to waitForFunction run in the page.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { type Dashboard, serveDashboard } from '../../src/dashboard/index.js';
import type { TaskSpec } from '../../src/tasks/task-spec.js';
import { type Browser, openBrowser } from './browser.js';
import { type DemoFixture, demoFixture } from './fixtures/demo-system.js';

// What the page has, declared here rather than from the DOM library (which the rest of the
// suite must not see).
interface PageElement {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  readonly body: { readonly dataset: Record<string, string | undefined> };
};
declare const getComputedStyle: (element: PageElement) => { readonly backgroundColor: string };
declare const window: { readonly __xss?: number };

export const TOKEN = 'test-token-0123456789abcdef';
/** The red of an agent that is down (style.css `--bad`). */
export const RED = 'rgb(220, 38, 38)';

export interface Session {
  readonly fixture: DemoFixture;
  readonly dashboard: Dashboard;
  readonly page: Page;
  /** Errors the page's scripts threw. */
  readonly errors: string[];
}

/** Registers the file's hooks; returns `start`, which opens the page on a fresh demo system. */
export function pageSessions(): (options?: {
  token?: string;
  withToken?: boolean;
}) => Promise<Session> {
  let browser: Browser;
  let open: Session | undefined;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    if (!open) return;
    await open.page.close();
    await open.dashboard.close();
    await open.fixture.stop();
    open = undefined;
  });
  return async (options = {}) => {
    const fixture = demoFixture();
    const dashboard = await serveDashboard(fixture.system, {
      feedIntervalMs: 40,
      ...(options.token ? { token: options.token } : {}),
    });
    const page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${dashboard.url}${options.withToken ? `#token=${TOKEN}` : ''}`);
    await page.waitForFunction(() => Number(document.body.dataset.updates) > 0);
    open = { fixture, dashboard, page, errors };
    return open;
  };
}

/** Moves the clock (and the demo's submissions) until `done` holds; fails after `maxMs`. */
export async function runUntil(fixture: DemoFixture, done: () => boolean, maxMs = 60_000) {
  for (let t = 0; t < maxMs && !done(); t += 50) {
    await fixture.advance(50);
    await fixture.submitDue();
  }
  expect(done()).toBe(true);
}

export const text = (page: Page, testid: string) => page.getByTestId(testid).first().textContent();

export const waitText = (page: Page, testid: string, expected: string) =>
  page.waitForFunction(
    ([id, want]) => document.querySelector(`[data-testid="${id}"]`)?.textContent === want,
    [testid, expected] as const,
  );

/** Waits until the element `testid` has attribute `name` equal to `value` (null: no such element). */
export const waitAttribute = (page: Page, testid: string, name: string, value: string | null) =>
  page.waitForFunction(
    ([id, attribute, want]) => {
      const element = document.querySelector(`[data-testid="${id}"]`);
      return (element ? element.getAttribute(attribute) : null) === want;
    },
    [testid, name, value] as const,
  );

/** Waits until the tree shows agent `agentId` in `state`, red or not. */
export const waitTreeAgent = (page: Page, agentId: string, state: string, red: boolean) =>
  page.waitForFunction(
    ([id, want, wantRed, redColour]) => {
      const element = document.querySelector(`[data-testid="tree-agent-${id}"]`);
      if (!element || element.getAttribute('data-state') !== want) return false;
      return (getComputedStyle(element).backgroundColor === redColour) === wantRed;
    },
    [agentId, state, red, RED] as const,
  );

/** Whether a script injected through a task's values ran (it would set `window.__xss`). */
export const injectedScriptRan = async (page: Page) =>
  (await page.evaluate(() => window.__xss)) !== undefined;

export async function submitOne(fixture: DemoFixture, spec: TaskSpec): Promise<string> {
  return (await fixture.system.submit(spec)).id;
}

/** Finds the task with the search box and opens its detail. */
export async function openDetail(page: Page, taskId: string) {
  await page.getByTestId('task-search').fill(taskId);
  await page.getByTestId(`task-row-${taskId}`).click();
  await waitText(page, 'detail-id', taskId);
}
