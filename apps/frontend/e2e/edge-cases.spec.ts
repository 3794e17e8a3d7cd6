import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { AdminApi } from './support/api';
import { expectNoSidewaysScroll, signedInPage } from './support/pages';
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

test('a labeller taken off a project while labelling is told so, with a way home and no Retry', async ({
  browser,
}) => {
  const ben = await admin.labeller('Ben');
  const project = await admin.project(
    {},
    [
      { id: 'b1', vector: [0, 1] },
      { id: 'b2', vector: [1, 0] },
    ],
    [ben],
  );
  const { context, page } = await signedInPage(browser, ben.email, ben.password);
  for (const key of ['1', 's']) {
    await page.goto(`/projects/${project.id}/label`);
    await expect(page.getByTestId('item')).toBeVisible();
    await admin.removeMember(project.id, ben.id);
    await page.keyboard.press(key);
    const gone = page.getByTestId('project-gone');
    await expect(gone).toContainText('You are no longer on this project');
    await expect(gone.getByRole('link', { name: 'Back to projects' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
    await expect(page.getByTestId('item')).toHaveCount(0);
    await admin.addMember(project.id, ben.id);
  }
  await context.close();
});

test('after skipping the last item the page says so, offers the skipped items again, and undo only when there is one', async ({
  browser,
}) => {
  const cy = await admin.labeller('Cy');
  const project = await admin.project({}, [{ id: 'c1', vector: [0, 1] }], [cy]);
  const { context, page } = await signedInPage(browser, cy.email, cy.password);
  await page.goto(`/projects/${project.id}/label`);
  await expect(page.getByTestId('item')).toHaveAttribute('data-external-id', 'c1');

  await page.keyboard.press('s');
  const done = page.getByTestId('queue-done');
  await expect(done).toContainText('You skipped 1 item');
  await expect(done).not.toContainText('held by someone else');
  await expect(done).not.toContainText('checks for items');
  await expect(page.getByText('to undo your last label')).toHaveCount(0); // nothing to undo

  await page.keyboard.press('r');
  await expect(page.getByTestId('item')).toHaveAttribute('data-external-id', 'c1');
  await page.keyboard.press('1');
  await expect(done).toContainText('Every item has all the labels it needs');
  await expect(page.getByText('to undo your last label')).toBeVisible();

  const empty = await admin.project({}, [], [cy]);
  await page.goto(`/projects/${empty.id}/label`);
  await expect(done).toContainText('No items to label yet');
  await context.close();
});

test('a labeller waiting for an item someone else holds sees labelling close when the project is archived', async ({
  browser,
}) => {
  const dee = await admin.labeller('Dee');
  const project = await admin.project({}, [{ id: 'e1', vector: [0, 1] }], [dee]);
  await admin.takeNext(project.id);
  const { context, page } = await signedInPage(browser, dee.email, dee.password);
  await page.goto(`/projects/${project.id}/label`);
  await expect(page.getByTestId('queue-done')).toContainText('1 item is held by other labellers');
  await admin.archive(project.id);
  // The page's own re-check (every few seconds) finds the project closed.
  await expect(page.getByTestId('labelling-closed')).toContainText('Labelling is closed');
  await context.close();
});

test('a label given after the item went to someone else is explained in the item’s own name', async ({
  browser,
}) => {
  const [dee, eve] = [await admin.labeller('Dee'), await admin.labeller('Eve')];
  const project = await admin.project({ leaseSeconds: 10 }, [{ id: 'd1', vector: [0, 1] }], [dee, eve]);
  const first = await signedInPage(browser, dee.email, dee.password);
  await first.page.goto(`/projects/${project.id}/label`);
  await expect(first.page.getByTestId('item')).toHaveAttribute('data-external-id', 'd1');
  await first.page.waitForTimeout(11_000); // Dee's 10-second lease runs out…
  const second = await signedInPage(browser, eve.email, eve.password);
  await second.page.goto(`/projects/${project.id}/label`);
  await expect(second.page.getByTestId('item')).toHaveAttribute('data-external-id', 'd1'); // …and Eve has it
  await admin.update(project.id, { leaseSeconds: 30 }); // while Dee's page is open

  await first.page.keyboard.press('1');
  const lost = first.page.getByTestId('lease-expired');
  await expect(lost).toContainText('Item d1');
  await expect(lost).toContainText('was not saved');
  await expect(lost).toContainText('held for you for 30 seconds'); // the lease time as it is now
  await expect(lost).not.toContainText(/item \d/);
  await expect(lost).not.toContainText('Nothing else was lost');
  await expect(lost.getByRole('button', { name: /Next item/ })).toBeFocused();
  await Promise.all([first.context.close(), second.context.close()]);
});

test('the import hint shows the item shape of the project’s input kind', async ({ browser }) => {
  const [text, image] = [
    await admin.project({ inputKind: 'text', shape: null }, []),
    await admin.project({ inputKind: 'image', shape: null }, []),
  ];
  const { context, page } = await signedInPage(browser, ADMIN.email, ADMIN.password);
  const hint = page.getByTestId('import-hint');
  await page.goto(`/projects/${text.id}/settings`);
  await expect(hint).toContainText('header id,text');
  await expect(hint).toContainText('{"id": "a1", "text": "…"}');
  await expect(hint).not.toContainText('payload');
  await page.goto(`/projects/${image.id}/settings`);
  await expect(hint).toContainText('header id,url');
  await expect(hint).toContainText('{"id": "a1", "url": "https://…/a1.png"}');
  await context.close();
});

test('pages fit a 390 px wide phone without sideways scrolling', async ({ browser }) => {
  const fay = await admin.labeller('Fay');
  const project = await admin.project({}, [{ id: 'f1', vector: [0, 1] }], [fay]);
  const fits = async (page: Page, address: string) => {
    await page.goto(address);
    await expect(page.locator('main h1').first()).toBeVisible();
    await expectNoSidewaysScroll(page, address);
  };
  const admins = await signedInPage(browser, ADMIN.email, ADMIN.password);
  await admins.page.setViewportSize({ width: 390, height: 844 });
  for (const address of ['/', `/projects/${project.id}`, `/projects/${project.id}/settings`, '/users']) {
    await fits(admins.page, address);
  }
  const labeller = await signedInPage(browser, fay.email, fay.password);
  await labeller.page.setViewportSize({ width: 390, height: 844 });
  await fits(labeller.page, `/projects/${project.id}/label`);
  await expect(labeller.page.getByTestId('item')).toBeVisible();
  await Promise.all([admins.context.close(), labeller.context.close()]);
});

test('an image project offers no model settings, and its dashboard says it gets no model', async ({
  browser,
}) => {
  const project = await admin.project({ inputKind: 'image', shape: null }, [
    { id: 'i1', url: 'https://example.org/cat.png' },
  ]);
  const { context, page } = await signedInPage(browser, ADMIN.email, ADMIN.password);
  await page.goto(`/projects/${project.id}/settings`);
  await expect(page.getByLabel('Strategy')).toHaveCount(0);
  await expect(page.getByTestId('no-model-note')).toContainText('vectors and texts only');
  await page.getByRole('button', { name: 'Save settings' }).click(); // what it does not show is kept
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

  await page.goto(`/projects/${project.id}`);
  await expect(page.getByTestId('no-model-note')).toContainText('vectors and texts only');
  await expect(page.getByText('The trainer retrains every')).toHaveCount(0);
  await context.close();
});

test('counts read as words (1 item, 2 items), form errors name the field as labelled, and the site has an icon', async ({
  browser,
}) => {
  const project = await admin.project({ name: 'Counted' }, []);
  const { context, page } = await signedInPage(browser, ADMIN.email, ADMIN.password);
  const missing: string[] = [];
  page.on('response', (response) => {
    if (response.status() === 404) missing.push(response.url());
  });
  await page.goto(`/projects/${project.id}/settings`);
  const file = path.join(__dirname, '..', 'test-results', 'data', 'one-item.ndjson');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '{"id": "n1", "vector": [0, 1]}\n');
  await page.getByLabel('File').setInputFiles(file);
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByTestId('import-report')).toHaveText(
    '1 item imported of 1 received · 0 duplicates · 0 rejected',
  );
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByTestId('import-report')).toHaveText(
    '0 items imported of 1 received · 1 duplicate · 0 rejected',
  );

  await page.getByLabel('Labels per item').fill('0');
  await page.getByRole('button', { name: 'Save settings' }).click();
  const problems = page.getByRole('alert').filter({ hasText: 'Please fix' });
  await expect(problems).toContainText('Labels per item must be at least 1.');
  await expect(problems).not.toContainText('labelsPerItem');

  await page.goto('/tokens');
  await page.getByLabel('Name').fill('   ');
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Name' })).toHaveText('Name must have at least 1 character.');

  const icon = await page.locator('link[rel="icon"]').first().getAttribute('href');
  expect(icon).toBeTruthy();
  expect((await page.request.get(icon!)).status()).toBe(200);
  expect(missing).toEqual([]);

  // At 1280 px each project card keeps Label, Dashboard and Settings on one line.
  await page.goto('/');
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Counted' }) });
  const tops = await Promise.all(
    ['Label Counted', 'Dashboard of Counted', 'Settings of Counted'].map(
      async (name) => (await card.getByRole('link', { name, exact: true }).boundingBox())?.y,
    ),
  );
  expect(new Set(tops).size, `link tops ${tops.join(', ')}`).toBe(1);
  await context.close();
});

test('each project card’s links name their project, and a multi-label project’s card says so', async ({
  browser,
}) => {
  const lou = await admin.labeller('Lou');
  const single = await admin.project({}, [], [lou]);
  const multi = await admin.project({ classes: ['red', 'green', 'blue'], multiLabel: true }, [], [lou]);
  const { context, page } = await signedInPage(browser, lou.email, lou.password);
  const card = (name: string) =>
    page.getByRole('listitem').filter({ has: page.getByRole('heading', { name, exact: true }) });
  for (const project of [single, multi]) {
    await expect(page.getByRole('link', { name: `Label ${project.name}`, exact: true })).toHaveAttribute(
      'href',
      `/projects/${project.id}/label`,
    );
  }
  await expect(card(multi.name)).toContainText('3 classes, several per item (multi-label)');
  await expect(card(single.name)).not.toContainText('multi-label');
  await context.close();
});
