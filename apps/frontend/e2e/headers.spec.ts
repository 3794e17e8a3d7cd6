import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { AdminApi } from './support/api';
import { baseUrl, signedInPage } from './support/pages';
import { ADMIN, freePort, startFrontend } from './support/system';

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

  // The API's metrics stay on the internal network: the site does not pass them on.
  const metrics = await page.request.get('/api/metrics');
  expect(metrics.status()).toBe(404);
  expect(await metrics.text()).not.toContain('process_cpu');
  await context.close();
});

test('/api tells the API who really connected, whatever X-Forwarded-For a client sends', async () => {
  // A stand-in API that answers with the X-Forwarded-For it was given.
  const echo = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ forwardedFor: request.headers['x-forwarded-for'] ?? null }));
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => echo.once('listening', resolve));
  const site = await startFrontend(
    await freePort(),
    `http://127.0.0.1:${(echo.address() as AddressInfo).port}`,
    'frontend-forwarded-for',
  );
  try {
    const forwardedFor = async (headers: Record<string, string>) =>
      ((await (await fetch(`${site.url}/api/echo`, { headers })).json()) as { forwardedFor: string })
        .forwardedFor;
    // With TRUST_PROXY=1 (compose) the API takes the last address: the site's peer, never the client's claim.
    expect(await forwardedFor({})).toBe('127.0.0.1');
    expect(await forwardedFor({ 'x-forwarded-for': '203.0.113.9' })).toBe('203.0.113.9, 127.0.0.1');
  } finally {
    await site.stop();
    echo.close();
  }
});

test('sign-in returns only to a page of this site, however the address is disguised', async ({ browser }) => {
  const { context, page } = await signedInPage(browser, ADMIN.email, ADMIN.password);
  const site = new URL(baseUrl()).origin;
  // (a tab or a line break is dropped by browsers, and a backslash read as a slash: each of these was //…)
  for (const next of [
    '/\t/evil.test',
    '/\n/evil.test',
    '/\\evil.test',
    '//evil.test',
    'https://evil.test',
    '/..//evil.test',
    '/a/..//evil.test',
    '/./\\/evil.test',
  ]) {
    const response = await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
    expect(response?.status(), next).toBe(200);
    expect(new URL(page.url()).origin, next).toBe(site);
  }
  await page.goto(`/sign-in?next=${encodeURIComponent('/account?tab=1')}`);
  await expect(page).toHaveURL(`${site}/account?tab=1`);
  await context.close();
});

test('a form on another site of the same host cannot undo a labeller’s label with their session', async ({
  browser,
}) => {
  const admin = await AdminApi.signIn();
  const eve = await admin.labeller('Eve Target');
  const project = await admin.project(
    { inputKind: 'text', shape: null, classes: ['a', 'b'] },
    [{ id: 'x1', text: 'x' }],
    [eve],
  );
  await admin.dispose();
  const { context, page } = await signedInPage(browser, eve.email, eve.password);
  const next = (await (await page.request.post(`/api/projects/${project.id}/next`)).json()) as {
    item: { id: number };
  };
  await page.request.post(`/api/items/${next.item.id}/labels`, {
    data: { value: 'a', clientRequestId: 'csrf-1' },
  });

  // Another port of the same host: the same site to the browser, so SameSite=Lax still sends the cookie.
  const undo = `${baseUrl()}/api/projects/${project.id}/undo`;
  const attacker = createServer((_request, response) => {
    response.setHeader('content-type', 'text/html');
    response.end(`<form method="post" action="${undo}"></form><script>document.forms[0].submit()</script>`);
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => attacker.once('listening', resolve));
  try {
    const refused = page.waitForResponse(undo);
    await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
    expect((await refused).status()).toBe(403);
    // The label is still there: the labeller's own undo takes it back.
    expect((await page.request.post(`/api/projects/${project.id}/undo`)).status()).toBe(200);
  } finally {
    attacker.close();
    await context.close();
  }
});
