import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

export function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error('E2E_BASE_URL is not set: the global setup did not start the system');
  return url;
}

export async function signedInPage(browser: Browser, email: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl(), acceptDownloads: true });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Projects', exact: true })).toBeVisible();
  return { context, page };
}

/** The item the labelling page shows now (its external id), or null when none is shown. One round trip. */
export async function shownItem(page: Page): Promise<string | null> {
  return page.evaluate(() => document.querySelector('[data-testid="item"]')?.getAttribute('data-external-id') ?? null);
}

/** Waits, polling inside the page, until it shows an item other than `previous` (or the finished state). */
export async function waitForItemOtherThan(page: Page, previous: string | null): Promise<string | null> {
  const handle = await page.waitForFunction(
    (before) => {
      if (document.querySelector('[data-testid="queue-done"]')) return { shown: null };
      const now = document.querySelector('[data-testid="item"]')?.getAttribute('data-external-id') ?? null;
      return now !== null && now !== before ? { shown: now } : false;
    },
    previous,
    { polling: 'raf', timeout: 30_000 },
  );
  const { shown } = (await handle.jsonValue()) as { shown: string | null };
  await handle.dispose();
  return shown;
}

/** Waits, polling inside the page, until it shows an item; the finished state re-checks on its own. */
export async function waitForAnyItem(page: Page, timeout = 15_000): Promise<string> {
  const handle = await page.waitForFunction(
    () => document.querySelector('[data-testid="item"]')?.getAttribute('data-external-id') ?? false,
    undefined,
    { polling: 'raf', timeout },
  );
  const shown = (await handle.jsonValue()) as string;
  await handle.dispose();
  return shown;
}

/** Fails if the page scrolls sideways: its content is wider than its viewport (`what` names it in the failure). */
export async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => {
    const { scrollWidth, clientWidth } = document.documentElement;
    return { scrollWidth, clientWidth };
  });
  expect(scrollWidth, `${what} is ${scrollWidth} px wide in a ${clientWidth} px window`).toBeLessThanOrEqual(clientWidth);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? NaN;
}
