import { expect, test } from '@playwright/test';
import { baseUrl } from './support/pages';

test('pages cannot be framed or sniffed and name no framework; /api passes a script’s correlation id on', async ({
  browser,
}) => {
  const context = await browser.newContext({ baseURL: baseUrl() });
  const page = await context.newPage();
  const response = await page.goto('/sign-in');
  const headers = response!.headers();
  expect(headers['content-security-policy']).toBe("frame-ancestors 'none'");
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('same-origin');
  expect(headers['x-powered-by']).toBeUndefined();

  const api = await page.request.get('/api/health', { headers: { 'x-correlation-id': 'e2e-trace-1' } });
  expect(api.ok()).toBe(true);
  expect(api.headers()['x-correlation-id']).toBe('e2e-trace-1');
  expect(api.headers()['x-content-type-options']).toBe('nosniff');
  expect(api.headers()['x-powered-by']).toBeUndefined();
  expect(api.headers()['cache-control']).toBe('no-store');
  await context.close();
});
