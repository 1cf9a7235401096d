import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort, startService } from '../helper.js';
import { ARTIFACTS, CHROMIUM, CHROMIUM_ARGS as ARGS, chromiumMissing } from './chromium.js';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const missing = chromiumMissing();

/** Opens the page and records console errors, page errors and CSP violations. */
async function open(browser: Browser, url: string, width = 1280) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { cspViolations: string[] }).cspViolations ??= [];
      (window as unknown as { cspViolations: string[] }).cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await page.goto(url);
  return { page, problems };
}

const text = (page: Page, selector: string) => page.locator(selector).first().textContent();

t.test('the Zumo page in headless Chromium', { skip: missing }, async (t) => {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
  t.teardown(() => browser.close());
  const port = await freePort();
  const env = {
    PORT: String(port),
    DATABASE_PATH: join(t.testdir({}), 'zumo.db'),
    MESSAGE_RATE_LIMIT: '4',
    RELEASE: 'abc1234',
  };
  const service = await startService(t, env, { port });
  // Restarts belong to the outer test, so the service outlives the subtest that restarts it.
  const restart = () => startService(t, env, { port });

  const { page, problems } = await open(browser, `${service.url}/`);

  t.test('loads with the welcome, the logo and live values', async (t) => {
    t.equal(await text(page, 'h1'), 'Welcome to Zumo!');
    t.ok(
      await page.locator('img.logo').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
      'the logo is displayed',
    );
    await page.locator('[data-field="hostname"]', { hasText: hostname() }).waitFor({ timeout: 10_000 });
    t.equal(await text(page, '[data-field="release"]'), 'abc1234');
    t.equal(await text(page, '[data-field="runtime"]'), 'local process');
    t.equal(await text(page, '[data-field="podName"]'), 'not in Kubernetes', 'no made-up pod name');
    await page.locator('#live-status', { hasText: /Updated \d+ s ago/ }).waitFor({ timeout: 5_000 });
    const uptimeBefore = await text(page, '[data-field="uptime"]');
    await page.waitForFunction(
      (before) => document.querySelector('[data-field="uptime"]')?.textContent !== before,
      uptimeBefore,
      { timeout: 12_000 },
    );
    t.pass('the uptime changed on a later refresh without a reload');
  });

  t.test('posting a message shows it in the list', async (t) => {
    await page.locator('#messages li').first().waitFor();
    t.match(await text(page, '#messages li'), /Hello from Kubernetes!/, 'the seeded message is listed');
    await page.fill('#content', 'Hello from Chromium');
    await page.fill('#author', 'Playwright');
    await page.click('button[type="submit"]');
    await page.locator('#messages li .message-text', { hasText: 'Hello from Chromium' }).waitFor();
    t.match(await text(page, '#messages li'), /Hello from Chromium.*Playwright/s, 'the new message is first');
    t.equal(await page.inputValue('#content'), '', 'the form is cleared');
  });

  t.test('an invalid post shows the error next to the field', async (t) => {
    await page.fill('#content', '    ');
    await page.click('button[type="submit"]');
    t.equal(await text(page, '#content-error'), 'Write a message first.');
    t.equal(await page.getAttribute('#content', 'aria-invalid'), 'true');
  });

  t.test(
    "the form applies the server's text rules: a flag-shaped tag sequence spelling a word is refused",
    async (t) => {
      const tags = (id: string) => Array.from(id, (c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
      await page.fill('#content', `see \u{1F3F4}${tags('hide')}\u{E007F}`);
      await page.click('button[type="submit"]');
      t.equal(await text(page, '#content-error'), 'Hidden tag characters are not allowed.');
      t.equal(await page.getAttribute('#content', 'aria-invalid'), 'true');
    },
  );

  t.test('a script injection attempt is shown as text', async (t) => {
    const attack = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>';
    await page.fill('#content', attack);
    await page.click('button[type="submit"]');
    await page.locator('#messages li .message-text').first().waitFor();
    await page.waitForFunction((a) => document.querySelector('#messages li .message-text')?.textContent === a, attack);
    t.equal(await page.locator('#messages img, #messages script').count(), 0, 'no element was created from the text');
    t.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined, 'nothing ran');
  });

  t.test('the rate limit is shown with the retry time', async (t) => {
    for (let i = 0; i < 3; i++) {
      await page.fill('#content', `filler ${i}`);
      await page.click('button[type="submit"]');
      await page.locator('#form-status', { hasText: /Posted|Too many/ }).waitFor();
    }
    await page
      .locator('#form-status', { hasText: /Too many messages\. Try again in \d+ s\./ })
      .waitFor({ timeout: 5_000 });
    t.pass('429 is shown with the retry time');
  });

  t.test('when the API stops, an error state shows, and the page recovers by itself', async (t) => {
    service.child.kill('SIGKILL');
    await service.exited;
    await page
      .locator('#live-status.is-error', { hasText: /Cannot reach the API\. Retrying in \d+ s/ })
      .waitFor({ timeout: 12_000 });
    t.pass('the error state is visible');
    await restart();
    await page.locator('#live-status:not(.is-error)', { hasText: /Updated \d+ s ago/ }).waitFor({ timeout: 20_000 });
    t.pass('recovered without a reload');
  });

  t.test('no console errors or CSP violations (other than the deliberate outage)', async (t) => {
    const violations = await page.evaluate(
      () => (window as unknown as { cspViolations?: string[] }).cspViolations ?? [],
    );
    t.same(violations, [], 'no CSP violations');
    const unexpected = problems.filter((p) => !/Failed to load resource|ERR_CONNECTION_REFUSED|status of 429/.test(p));
    t.same(unexpected, [], 'no console or page errors');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'page.png'), fullPage: true });
  });

  t.test('accessible: axe-core finds no WCAG A/AA violations (labels, contrast, roles)', async (t) => {
    // page.evaluate runs through the DevTools protocol, so the page's CSP does not block axe.
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run: (
              ctx: Document,
              o: object,
            ) => Promise<{ violations: { id: string; help: string; nodes: unknown[] }[] }>;
          };
        }
      ).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
      return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
    });
    t.same(violations, [], 'no violations');
    // Keyboard only, on a fresh page: Tab into the form, type, Tab to the button, Enter posts.
    const fresh = await open(browser, `${service.url}/`);
    const focusedId = () => fresh.page.evaluate(() => document.activeElement?.id);
    await fresh.page.keyboard.press('Tab');
    t.equal(await focusedId(), 'content', 'Tab reaches the message field first');
    await fresh.page.keyboard.type('Typed with the keyboard');
    await fresh.page.keyboard.press('Tab');
    t.equal(await focusedId(), 'author', 'then the name field');
    await fresh.page.keyboard.press('Tab');
    await fresh.page.keyboard.press('Enter');
    await fresh.page.locator('#form-status', { hasText: /Posted|Too many/ }).waitFor();
    t.pass('Enter on the button submits the form');
    await fresh.page.close();
  });

  t.test('usable at 360 px: nothing scrolls sideways', async (t) => {
    const narrow = await open(browser, `${service.url}/`, 360);
    await narrow.page.locator('[data-field="hostname"]', { hasText: hostname() }).waitFor({ timeout: 10_000 });
    const overflow = await narrow.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    t.ok(overflow <= 0, `no horizontal overflow (${overflow} px)`);
    await narrow.page.screenshot({ path: join(ARTIFACTS, 'page-360.png'), fullPage: true });
    t.same(narrow.problems, [], 'no console errors at 360 px');
  });
});
