import { expect, test, type Page } from '@playwright/test';
import { AdminApi } from './support/api';
import { expectAccessible } from './support/axe';
import { baseUrl, expectNoSidewaysScroll, signedInPage } from './support/pages';
import { ADMIN } from './support/system';

/**
 * Every page in its usual states checked with axe-core against WCAG 2.1 A/AA: labellers work keyboard-first
 * for hours, some with a screen reader or zoom. Each test sets its scene through the API.
 */
let admin: AdminApi;

test.beforeAll(async () => {
  admin = await AdminApi.signIn();
});

test.afterAll(async () => {
  await admin.dispose();
});

/** An 8x8 digit-like vector (0..16), as the demo digits are. */
const DIGIT = Array.from({ length: 64 }, (_, index) => (index * 7) % 17);

test('sign-in, with and without an error, and after a session ran out', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: baseUrl() });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await expectAccessible(page, 'sign-in');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'do not match' })).toBeVisible();
  await expectAccessible(page, 'sign-in with an error');
  await page.goto('/sign-in?expired=1');
  await expectAccessible(page, 'sign-in after the session ran out');
  await page.goto('/no-such-page');
  await expectAccessible(page, 'not found');
  await context.close();
});

test('projects list for an admin (with an archived project) and for a labeller', async ({ browser }) => {
  const hal = await admin.labeller('Hal');
  const open = await admin.project({ description: 'Digits to sort' }, [{ id: 'h1', vector: [0, 1] }], [hal]);
  await admin.labelNext(open.id, 'cat');
  const archived = await admin.project({}, []);
  await admin.archive(archived.id);
  const admins = await signedInPage(browser, ADMIN.email, ADMIN.password);
  await expect(admins.page.getByRole('heading', { name: 'Archived projects' })).toBeVisible();
  await expectAccessible(admins.page, 'projects (admin)');
  const labeller = await signedInPage(browser, hal.email, hal.password);
  await expectAccessible(labeller.page, 'projects (labeller)');
  await Promise.all([admins.context.close(), labeller.context.close()]);
});

test('a dashboard with labels and a model version, and an empty one', async ({ browser }) => {
  const project = await admin.project(
    { classes: ['cat', 'dog'], retrainEveryLabels: 2 },
    Array.from({ length: 6 }, (_, index) => ({ id: `m${index + 1}`, vector: [index, 6 - index] })),
  );
  for (const value of ['cat', 'dog', 'cat', 'dog']) await admin.labelNext(project.id, value);
  await admin.waitForModel(project.id);
  const empty = await admin.project({}, []);
  const { context, page } = await signedInPage(browser, ADMIN.email, ADMIN.password);
  await page.goto(`/projects/${project.id}`);
  await expect(page.getByTestId('model-versions')).toBeVisible();
  await expect(page.getByTestId('class-metrics')).toBeVisible();
  await expectAccessible(page, 'dashboard with a model');
  await page.goto(`/projects/${empty.id}`);
  await expectAccessible(page, 'dashboard of an empty project');
  await context.close();
});

test('settings: a new project, its settings with problems and the archive confirmation, an archived one', async ({
  browser,
}) => {
  const ivy = await admin.labeller('Ivy');
  const project = await admin.project({}, [], [ivy]);
  const archived = await admin.project({}, []);
  await admin.archive(archived.id);
  const { context, page } = await signedInPage(browser, ADMIN.email, ADMIN.password);
  await page.goto('/projects/new');
  await expectAccessible(page, 'new project');
  await page.goto(`/projects/${project.id}/settings`);
  await expectAccessible(page, 'settings');
  await page.getByLabel(/^Classes/).fill('only-one');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'at least 2 classes' })).toBeVisible();
  await page.getByRole('button', { name: 'Archive project…' }).click();
  await expect(page.getByRole('button', { name: 'Yes, archive it' })).toBeFocused();
  await expectAccessible(page, 'settings with problems and the archive confirmation');
  await page.goto(`/projects/${archived.id}/settings`);
  await expect(page.getByRole('heading', { name: 'Delete' })).toBeVisible();
  await expectAccessible(page, 'settings of an archived project');
  await context.close();
});

async function labelPage(page: Page, projectId: string): Promise<void> {
  await page.goto(`/projects/${projectId}/label`);
  await expect(page.getByTestId('item')).toBeVisible();
}

test('the labelling page: a digit, a text, a multi-label item with a class on, and the end of the queue', async ({
  browser,
}) => {
  const jo = await admin.labeller('Jo');
  const digits = await admin.project(
    { classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], shape: [8, 8] },
    [{ id: 'd1', vector: DIGIT }],
    [jo],
  );
  const text = await admin.project(
    { inputKind: 'text', shape: null, classes: ['positive', 'negative', 'neutral'] },
    [{ id: 't1', text: 'The parcel came a day early and well packed.' }],
    [jo],
  );
  const multi = await admin.project(
    { inputKind: 'text', shape: null, classes: ['sport', 'politics', 'science'], multiLabel: true },
    [{ id: 'x1', text: 'A minister opens a new stadium.' }],
    [jo],
  );
  const { context, page } = await signedInPage(browser, jo.email, jo.password);
  await labelPage(page, digits.id);
  await expectAccessible(page, 'labelling a digit');
  await labelPage(page, text.id);
  await expectAccessible(page, 'labelling a text');
  await labelPage(page, multi.id);
  await page.keyboard.press('1');
  await expect(page.getByRole('button', { name: /sport/ })).toHaveAttribute('aria-pressed', 'true');
  await expectAccessible(page, 'labelling a multi-label item with one class on');
  // The last item skipped: the end of the queue, with the way back to skipped items.
  await labelPage(page, text.id);
  await page.keyboard.press('s');
  await expect(page.getByTestId('queue-done')).toContainText('You skipped 1 item');
  await expectAccessible(page, 'the end of the queue');
  await context.close();
});

test('labellers, API tokens and account, with their forms open and answered', async ({ browser }) => {
  const kim = await admin.labeller('Kim');
  const { context, page } = await signedInPage(browser, ADMIN.email, ADMIN.password);
  await page.goto('/users');
  await expectAccessible(page, 'users');
  await page.getByRole('button', { name: `Set password for ${kim.displayName}` }).click();
  await page.getByLabel(/^New password/).fill('too-short');
  await page.getByLabel('Repeat the new password').fill('also-different');
  await page.getByRole('button', { name: 'Set password', exact: true }).click();
  await expect(page.locator('#set-password-problems')).toBeVisible();
  await expectAccessible(page, 'users, setting a password with a problem');

  await page.goto('/tokens');
  await expectAccessible(page, 'API tokens');
  await page.getByLabel(/^Name/).fill('nightly export');
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByTestId('created-token')).toBeVisible();
  await expectAccessible(page, 'API tokens with a new token shown');

  await page.goto('/account');
  await expectAccessible(page, 'account');
  await context.close();
});

/** The element focus is on now, as its role and name would be read (tag, then accessible text). */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return 'nothing (the page itself)';
    return `${element.tagName.toLowerCase()} ${element.getAttribute('aria-label') ?? element.textContent?.trim() ?? ''}`;
  });
}

test('keyboard: Tab goes past the dashboard’s charts without stopping in them', async ({ browser }) => {
  const project = await admin.project({}, [{ id: 'n1', vector: [0, 1] }]);
  await admin.labelNext(project.id, 'cat');
  const { context, page } = await signedInPage(browser, ADMIN.email, ADMIN.password);
  for (const address of [`/projects/${project.id}`, `/projects/${(await admin.project({}, [])).id}`]) {
    await page.goto(address);
    await expect(page.locator('.chart svg').first()).toBeVisible();
    await page.getByRole('link', { name: 'Settings and import' }).focus();
    await page.keyboard.press('Tab');
    expect(await focused(page), address).toBe('a Export CSV');
  }
  await context.close();
});

test('keyboard: on settings, focus stays on what was used and comes back when a confirmation closes', async ({
  browser,
}) => {
  const lea = await admin.labeller('Lea');
  const project = await admin.project({}, [], [lea]);
  const { context, page } = await signedInPage(browser, ADMIN.email, ADMIN.password);
  await page.goto(`/projects/${project.id}/settings`);

  // A member added with Space: the checkbox keeps focus while the change is saved, so Space takes it back.
  const member = page.getByRole('checkbox', { name: new RegExp(lea.displayName) });
  await member.focus();
  await page.keyboard.press('Space');
  await expect(member).toBeChecked({ checked: false });
  await expect(member).toBeFocused();
  await expect(member).not.toHaveAttribute('aria-disabled', 'true');
  await page.keyboard.press('Space');
  await expect(member).toBeChecked();
  await expect(member).toBeFocused();

  const save = page.getByRole('button', { name: 'Save settings' });
  await save.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(save).toBeFocused();

  const archive = page.getByRole('button', { name: 'Archive project…' });
  await archive.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Yes, archive it' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter'); // Cancel
  await expect(archive).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter'); // Yes, archive it
  await expect(page.getByTestId('archived-notice')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Unarchive project' })).toBeFocused();

  // At 320 px (a 1280 px screen zoomed to 400 %) a deactivated member's line wraps instead of widening the page.
  await admin.deactivate(lea.id);
  await page.setViewportSize({ width: 320, height: 800 });
  await page.reload();
  await expect(page.getByText('inactive')).toBeVisible();
  await expectNoSidewaysScroll(page, 'settings at 320 px');
  await context.close();
});

test('keyboard: users and tokens put focus back where the work goes on', async ({ browser }) => {
  const max = await admin.labeller('Max');
  const { context, page } = await signedInPage(browser, ADMIN.email, ADMIN.password);
  await page.goto('/users');
  const opener = page.getByRole('button', { name: `Set password for ${max.displayName}` });
  await opener.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel(/^New password/)).toBeFocused();
  await page.getByRole('button', { name: 'Cancel' }).focus();
  await page.keyboard.press('Enter');
  await expect(opener).toBeFocused();

  await page.getByLabel('Name', { exact: true }).fill('Nia');
  await page.getByLabel('Email').fill(`nia-${Date.now()}@e2e.test`);
  await page.getByLabel(/^Password/).fill('nia-password-12');
  const create = page.getByRole('button', { name: 'Create account' });
  await create.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Nia can now sign in' })).toBeVisible();
  await expect(create).toBeFocused();

  await page.goto('/tokens');
  await page.getByLabel(/^Name/).fill('to revoke');
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByRole('button', { name: 'Revoke to revoke' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'to revoke is revoked' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Tokens', exact: true })).toBeFocused();
  await context.close();
});
