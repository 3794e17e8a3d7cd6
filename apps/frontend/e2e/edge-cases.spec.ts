import { expect, test, type Page } from '@playwright/test';
import { AdminApi } from './support/api';
import { signedInPage } from './support/pages';
import { ADMIN } from './support/system';

/**
 * The cases around the main story (labelling.spec.ts): addresses that lead nowhere, a labeller taken off a
 * project or out-waited on an item, the end of a labeller's queue, projects that get no model, and pages
 * on a phone. Each test sets its own scene through the API.
 */
let admin: AdminApi;

test.beforeAll(async () => {
  admin = await AdminApi.signIn();
});

test.afterAll(async () => {
  await admin.dispose();
});

const NO_SUCH_PROJECT = '00000000-0000-0000-0000-000000000000';

async function expectNotFound(page: Page, address: string): Promise<void> {
  const response = await page.goto(address);
  expect(response?.status(), address).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Back to projects' })).toHaveAttribute('href', '/');
}

test('unknown, malformed and off-limits project addresses answer a 404 page with a way home', async ({
  browser,
}) => {
  const ann = await admin.labeller('Ann');
  const hers = await admin.project({}, [{ id: 'a1', vector: [0, 1] }], [ann]);
  const other = await admin.project({}, []);
  const labeller = await signedInPage(browser, ann.email, ann.password);
  for (const address of [
    `/projects/${NO_SUCH_PROJECT}/label`,
    '/projects/not-a-uuid/label',
    `/projects/${other.id}/label`,
  ]) {
    await expectNotFound(labeller.page, address);
  }
  // Taken off the project, she reloads its label page.
  await labeller.page.goto(`/projects/${hers.id}/label`);
  await expect(labeller.page.getByTestId('item')).toBeVisible();
  await admin.removeMember(hers.id, ann.id);
  await expectNotFound(labeller.page, `/projects/${hers.id}/label`);

  const { context, page } = await signedInPage(browser, ADMIN.email, ADMIN.password);
  for (const address of [`/projects/${NO_SUCH_PROJECT}`, '/projects/not-a-uuid/settings']) {
    await expectNotFound(page, address);
  }
  await Promise.all([context.close(), labeller.context.close()]);
});
