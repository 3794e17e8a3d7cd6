import { expect, test, type Page } from '@playwright/test';
import { AdminApi } from './support/api';
import { expectNoSidewaysScroll, signedInPage } from './support/pages';
import { ADMIN } from './support/system';

/** Content at its limits, on a phone and on wide screens: nothing may widen a page or stick out of its box. */
let admin: AdminApi;

test.beforeAll(async () => {
  admin = await AdminApi.signIn();
});

test.afterAll(async () => {
  await admin.dispose();
});

const TEXT = { inputKind: 'text', shape: null } as const;

test('a 5,000-character text and a 200-character project name without spaces wrap instead of widening pages', async ({
  browser,
}) => {
  const lee = await admin.labeller('Lee');
  const name = `Unbroken${'x'.repeat(192)}`; // the longest name allowed
  const project = await admin.project({ ...TEXT, name }, [{ id: 'l1', text: 'y'.repeat(5000) }], [lee]);
  const admins = await signedInPage(browser, ADMIN.email, ADMIN.password);
  const labeller = await signedInPage(browser, lee.email, lee.password);
  const fits = async (page: Page, address: string, width: number) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(address);
    await expect(page.getByText(name).first()).toBeVisible();
    if (address.endsWith('/label')) await expect(page.getByTestId('item')).toBeVisible();
    await expectNoSidewaysScroll(page, `${address} at ${width} px`);
  };
  for (const width of [390, 1280]) {
    for (const address of ['/', `/projects/${project.id}`, `/projects/${project.id}/settings`]) {
      await fits(admins.page, address, width);
    }
    for (const address of ['/', `/projects/${project.id}/label`]) await fits(labeller.page, address, width);
  }
  await Promise.all([admins.context.close(), labeller.context.close()]);
});
