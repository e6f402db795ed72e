// `npm run docs:screenshots`: the screenshots in docs/dashboard.md, taken of the real page
// in headless Chromium while the demo workload (300 tasks, 15% injected failures) runs on
// a simulated clock, with one agent crashed and restarting and one drained.
import { fileURLToPath } from 'node:url';
import { serveDashboard } from '../../src/dashboard/index.js';
import { openBrowser } from './browser.js';
import { demoFixture } from './fixtures/demo-system.js';

const TOKEN = 'screenshot-token-0123456789';
const images = (name: string) =>
  fileURLToPath(new URL(`../../docs/images/dashboard-${name}.png`, import.meta.url));

const f = demoFixture(300, 9, 0.15);
const dashboard = await serveDashboard(f.system, { token: TOKEN, feedIntervalMs: 50 });
const browser = await openBrowser({ viewport: { width: 1440, height: 1100 }, bypassCSP: true });
const page = await browser.context.newPage();
await page.goto(`${dashboard.url}#token=${TOKEN}`);
await f.submitDue();
const step = async (ms: number) => {
  for (let t = 0; t < ms; t += 100) {
    await f.advance(100);
    await f.submitDue();
  }
};
await step(1_500);
const failing = await f.system.submit({
  type: 'fetch',
  capabilities: ['io'],
  input: { fail: 'upstream returned 503' },
});
await step(1_000);
void f.system.drainAgent('cpu-6');
let restarted = false;
f.system.on('agent.restarted', () => {
  restarted = true;
});
await f.system.submit({
  type: 'train',
  capabilities: ['gpu'],
  input: { crash: true },
  retry: { maxAttempts: 1, backoff: { kind: 'fixed', delayMs: 0 } },
});
while (!restarted) await f.advance(10);
await page.waitForFunction('document.querySelector("[data-state=restarting]") !== null');
await page.waitForFunction('document.querySelectorAll("[data-testid=plot-slo]").length > 0');
await page.screenshot({
  path: images('overview'),
  clip: { x: 0, y: 0, width: 1440, height: 1100 },
});
await page.getByTestId('agents').screenshot({ path: images('agents') });
await page.locator('#plots').screenshot({ path: images('plots') });
await page.getByTestId('task-search').fill(failing.id);
await page.getByTestId(`task-row-${failing.id}`).click();
await page.waitForFunction(
  `document.querySelector('[data-testid="detail-id"]')?.textContent === ${JSON.stringify(failing.id)}`,
);
await page.locator('#detail-panel').screenshot({ path: images('task-detail') });
await page.getByTestId('log-kind').selectOption('failure');
await page.locator('section:has(#log)').screenshot({ path: images('event-log') });
await page.close();
await browser.close();
await dashboard.close();
await f.stop();
process.stdout.write('screenshots written to docs/images/dashboard-*.png\n');
