import { expect, test, type Browser, type Page } from '@playwright/test';
import { AdminApi } from './support/api';
import { baseUrl, signedInPage } from './support/pages';
import { ADMIN } from './support/system';

/**
 * Passwords through the site: a user changes their own, an admin sets a labeller's. Each test makes its
 * own labeller (through the API, as the admin) so the story of labelling.spec.ts is left alone.
 */

/** Signs in on a fresh page and expects it refused (still on sign-in, saying so). */
async function expectSignInRefused(browser: Browser, email: string, password: string): Promise<void> {
  const context = await browser.newContext({ baseURL: baseUrl() });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#sign-in-error')).toHaveText(
    'That email and password do not match an active account.',
  );
  await context.close();
}

let api: AdminApi;

test.beforeAll(async () => {
  api = await AdminApi.signIn();
});

test.afterAll(async () => {
  await api.dispose();
});

/** A page whose session has ended lands on sign-in when it loads a page again. */
async function expectSignedOut(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in/);
}

test('a user changes their own password on the Account page; their other sessions end and the old password fails', async ({
  browser,
}) => {
  const newPassword = 'linus-second-password';
  const { email, password: oldPassword } = await api.labeller('Linus Pauling');

  const elsewhere = await signedInPage(browser, email, oldPassword);
  const { context, page } = await signedInPage(browser, email, oldPassword);
  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page.getByRole('heading', { name: 'Change your password' })).toBeVisible();
  const current = page.getByLabel('Current password');
  const fresh = page.getByLabel(/^New password/);
  const repeat = page.getByLabel('Repeat the new password');
  const change = page.getByRole('button', { name: 'Change password' });
  const problems = page.locator('#password-problems');

  await current.fill(oldPassword);
  await fresh.fill(newPassword);
  await repeat.fill('something-else-entirely');
  await change.click();
  await expect(problems).toHaveText('The two new passwords are not the same.');

  await current.fill('not-my-password');
  await repeat.fill(newPassword);
  await change.click();
  await expect(problems).toHaveText('Current password: this is not your current password.');

  await current.fill(oldPassword);
  await fresh.fill('short');
  await repeat.fill('short');
  await change.click();
  await expect(problems).toHaveText('New password: passwords need at least 12 characters.');

  await fresh.fill(newPassword);
  await repeat.fill(newPassword);
  await change.click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText(
    /^Password changed\. Your other sessions were signed out/,
  );
  await expect(problems).toHaveCount(0);
  await expect(current).toHaveValue('');

  // This session stays; the other one has ended.
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Projects', exact: true })).toBeVisible();
  await expectSignedOut(elsewhere.page);
  await elsewhere.context.close();
  await context.close();

  await expectSignInRefused(browser, email, oldPassword);
  const again = await signedInPage(browser, email, newPassword);
  await again.context.close();
});

test('an admin sets a labeller’s forgotten password on the Users page; the labeller is signed out and signs in with it', async ({
  browser,
}) => {
  const newPassword = 'marie-reset-password';
  const { email, password: forgotten } = await api.labeller('Marie Curie');
  const admin = await signedInPage(browser, ADMIN.email, ADMIN.password);
  const labeller = await signedInPage(browser, email, forgotten);

  const { page } = admin;
  await page.getByRole('link', { name: 'Labellers' }).click();
  await page.getByRole('button', { name: 'Set password for Marie Curie' }).click();
  const form = page.getByRole('form', { name: 'Set a new password for Marie Curie' });
  await expect(form).toContainText('Marie Curie is signed out everywhere');
  const problems = page.locator('#set-password-problems');

  await form.getByLabel(/^New password/).fill('too-short');
  await form.getByLabel('Repeat the new password').fill('too-short');
  await form.getByRole('button', { name: 'Set password' }).click();
  await expect(problems).toHaveText('New password: passwords need at least 12 characters.');

  await form.getByLabel(/^New password/).fill(newPassword);
  await form.getByLabel('Repeat the new password').fill(`${newPassword}!`);
  await form.getByRole('button', { name: 'Set password' }).click();
  await expect(problems).toHaveText('The two new passwords are not the same.');

  await form.getByLabel('Repeat the new password').fill(newPassword);
  await form.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText(
    'Marie Curie’s password is set. Their sessions have ended: they sign in with the new password.',
  );
  await expect(form).toHaveCount(0);
  // The admin's own session stays.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Labellers and admins' })).toBeVisible();
  await admin.context.close();

  await expectSignedOut(labeller.page);
  await labeller.context.close();
  await expectSignInRefused(browser, email, forgotten);
  const again = await signedInPage(browser, email, newPassword);
  await again.context.close();
});

test('an admin deactivates a labeller whose labelling page is open; the labeller is told so on the sign-in page and when signing in', async ({
  browser,
}) => {
  const labellerAccount = await api.labeller('Rosalind Franklin');
  const items = [
    { id: 'r1', text: 'one' },
    { id: 'r2', text: 'two' },
  ];
  const project = await api.project({ inputKind: 'text', shape: null, classes: ['yes', 'no'] }, items, [
    labellerAccount,
  ]);
  const labeller = await signedInPage(browser, labellerAccount.email, labellerAccount.password);
  await labeller.page.goto(`/projects/${project.id}/label`);
  await expect(labeller.page.getByTestId('item')).toHaveAttribute('data-external-id', 'r1');

  const admin = await signedInPage(browser, ADMIN.email, ADMIN.password);
  await admin.page.getByRole('link', { name: 'Labellers' }).click();
  await admin.page.getByRole('button', { name: 'Deactivate Rosalind Franklin' }).click();
  await expect(admin.page.getByRole('button', { name: 'Reactivate Rosalind Franklin' })).toBeVisible();
  await admin.context.close();

  // The next label is refused; the sign-in page says why instead of 'your session ran out'.
  const deactivated =
    'Your account has been deactivated. An admin can reactivate it on the Users page; then sign in again.';
  await labeller.page.keyboard.press('1');
  await expect(labeller.page).toHaveURL(/\/sign-in\?expired=1&next=%2Fprojects%2F/);
  await expect(labeller.page.getByRole('main').getByRole('status')).toHaveText(deactivated);
  // Signing in with the right password says the same; a wrong one does not tell the account exists.
  await labeller.page.getByLabel('Email').fill(labellerAccount.email);
  await labeller.page.getByLabel('Password').fill(labellerAccount.password);
  await labeller.page.getByRole('button', { name: 'Sign in' }).click();
  await expect(labeller.page.locator('#sign-in-error')).toHaveText(deactivated);
  await labeller.context.close();
  await expectSignInRefused(browser, labellerAccount.email, 'not-rosalinds-password');
});
