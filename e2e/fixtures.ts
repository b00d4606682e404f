// The test fixture every spec uses: pages that fail the test when a request leaves 127.0.0.1 or the console
// logs an error, and the URLs/data folder the global setup published.
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const env = {
  admin: process.env.PLUMB_E2E_ADMIN_URL!,
  viewer: process.env.PLUMB_E2E_VIEWER_URL!,
  simDataDir: process.env.PLUMB_E2E_SIM_DATA!,
  kubeconfig: process.env.PLUMB_E2E_KUBECONFIG!,
};

const shots = fileURLToPath(new URL('./screenshots/', import.meta.url));

export async function screenshot(page: Page, name: string) {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}${name}.png`, fullPage: false });
}

/** Watch a page: every request must stay on loopback, and nothing may log a console error. */
export function guard(page: Page) {
  const problems: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (url.hostname !== '127.0.0.1') problems.push(`request left loopback: ${req.url()}`);
  });
  page.on('console', (msg) => {
    // With the resource's URL: Chromium's "Failed to load resource" text does not name it.
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return problems;
}

export const test = base.extend<{ problems: string[] }>({
  problems: [
    async ({ page }, use) => {
      const problems = guard(page);
      await use(problems);
      expect(problems, 'requests off loopback or console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
