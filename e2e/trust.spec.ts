// A page from another host name cannot use the console (DNS rebinding), and a page on another port cannot frame it.
// Chromium resolves attacker.test to 127.0.0.1 (host-resolver rules): exactly what a rebound name does.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { env } from './fixtures';

test.use({
  launchOptions: {
    executablePath: process.env.PLUMB_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--host-resolver-rules=MAP attacker.test 127.0.0.1'],
  },
});

let attacker: Server;
let attackerPort = 0;
const consolePort = () => new URL(env.admin).port;

test.beforeAll(async () => {
  // The attacker's own site: a page that frames the console's pool page.
  attacker = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      `<!doctype html><title>win a prize</title><iframe id="victim" src="${env.admin}/pools/worker" width="1000" height="700"></iframe>`,
    );
  });
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', () => r()));
  attackerPort = (attacker.address() as AddressInfo).port;
});

test.afterAll(async () => {
  await new Promise((r) => attacker.close(r));
});

test('a page under a rebound host name can neither read /api/whoami nor act', async ({ page }) => {
  const origin = `http://attacker.test:${consolePort()}`;
  const doc = await page.goto(`${origin}/`);
  expect(doc!.status()).toBe(421);
  // Script running in that origin (the attacker's page after the rebinding) talks to the console "same-origin".
  const result = await page.evaluate(async () => {
    const who = await fetch('/api/whoami');
    const whoText = await who.text();
    const pause = await fetch('/api/pools/worker/pause', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paused: true }),
    });
    return { who: who.status, whoText, pause: pause.status };
  });
  expect(result.who).toBe(421);
  expect(result.whoText).not.toContain('csrfToken');
  expect(result.pause).toBe(421);
  const pool = await (await fetch(`${env.admin}/api/pools/worker`)).json();
  expect(pool.pool.paused).toBe(false);
});

test('a page on another origin cannot frame the console', async ({ page }) => {
  const refused: string[] = [];
  page.on('console', (m) => refused.push(m.text()));
  await page.goto(`http://127.0.0.1:${attackerPort}/`);
  await page.waitForTimeout(1500);
  const frame = page.frames().find((f) => f !== page.mainFrame());
  expect(frame).toBeTruthy();
  // The framed document is Chromium's error page, never the console: nothing of the pool page is in it.
  const text = await frame!.evaluate(() => document.body?.innerText ?? '').catch(() => '');
  expect(text).not.toContain('worker');
  expect(
    await frame!
      .locator('text=Pause')
      .count()
      .catch(() => 0),
  ).toBe(0);
});
