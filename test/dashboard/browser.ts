// Headless Chromium for the dashboard's browser tests: Debian's `chromium` (`.ci/run`
// installs it when missing) or the one CHROMIUM_PATH names, driven by playwright-core,
// with a fresh profile and no background networking (the closed network refuses it).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? CANDIDATES.find((p) => existsSync(p));
  if (!path || !existsSync(path))
    throw new Error(
      `no Chromium found (tried ${process.env.CHROMIUM_PATH ?? CANDIDATES.join(', ')}): install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  return path;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export interface BrowserOptions {
  readonly viewport?: { readonly width: number; readonly height: number };
  /**
   * Let the scripts a harness passes as strings run despite the page's CSP (which forbids
   * evaluating strings). Default false: the tests see the page as a user's browser does.
   */
  readonly bypassCSP?: boolean;
}

export async function openBrowser({
  viewport = { width: 1400, height: 1000 },
  bypassCSP = false,
}: BrowserOptions = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'overseer-dashboard-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    bypassCSP,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
