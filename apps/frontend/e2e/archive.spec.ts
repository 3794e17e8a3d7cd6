import { expect, test } from '@playwright/test';
import { AdminApi } from './support/api';
import { signedInPage, waitForAnyItem } from './support/pages';
import { ADMIN } from './support/system';

/** A small text project of its own (through AdminApi), so the story of labelling.spec.ts is left alone. */
test('an admin archives a project: the labeller’s label page says labelling is closed; unarchiving reopens it', async ({
  browser,
}) => {
  const api = await AdminApi.signIn();
  const rosalind = await api.labeller('Rosalind Franklin');
  const items = Array.from({ length: 3 }, (_, index) => ({ id: `t${index}`, text: `text ${index}` }));
  const { id: projectId } = await api.project(
    { name: 'Archive e2e', classes: ['a', 'b'], inputKind: 'text', shape: null },
    items,
    [rosalind],
  );
  await api.dispose();

  const admin = await signedInPage(browser, ADMIN.email, ADMIN.password);
  const labeller = await signedInPage(browser, rosalind.email, rosalind.password);
  await labeller.page.goto(`/projects/${projectId}/label`);
  await waitForAnyItem(labeller.page);

  const { page } = admin;
  await page.goto(`/projects/${projectId}/settings`);
  await page.getByRole('button', { name: 'Archive project…' }).click();
  await page
    .getByRole('group', { name: 'Confirm archiving' })
    .getByRole('button', { name: 'Yes, archive it' })
    .click();
  await expect(page.getByTestId('archived-notice')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Unarchive project' })).toBeVisible();

  // Mid-item: the label is still saved, then the page says why no next item comes.
  await labeller.page.keyboard.press('a');
  const closed = labeller.page.getByTestId('labelling-closed');
  await expect(closed).toContainText('Labelling is closed');
  await labeller.page.reload();
  await expect(closed).toContainText('Archive e2e is archived');
  await labeller.page.goto('/');
  await expect(labeller.page.getByRole('heading', { name: 'Archive e2e' })).toHaveCount(0);

  // The admin finds it among the archived projects and reopens it.
  await page.goto('/');
  const archived = page.getByRole('region', { name: 'Archived projects' });
  await expect(archived.getByRole('heading', { name: 'Archive e2e' })).toBeVisible();
  await archived.getByRole('link', { name: 'Settings of Archive e2e' }).click();
  await page.getByRole('button', { name: 'Unarchive project' }).click();
  await expect(page.getByRole('button', { name: 'Archive project…' })).toBeVisible();
  await expect(page.getByTestId('archived-notice')).toHaveCount(0);
  await admin.context.close();

  await labeller.page.goto(`/projects/${projectId}/label`);
  await waitForAnyItem(labeller.page);
  await expect(closed).toHaveCount(0);
  await labeller.context.close();
});

test('an admin deletes an archived project, after typing its name; it is gone for its labellers too', async ({
  browser,
}) => {
  const api = await AdminApi.signIn();
  const ada = await api.labeller('Ada');
  const items = [{ id: 'd1', text: 'text' }];
  const project = await api.project(
    { name: 'Delete e2e', classes: ['a', 'b'], inputKind: 'text', shape: null },
    items,
    [ada],
  );

  const admin = await signedInPage(browser, ADMIN.email, ADMIN.password);
  const { page } = admin;
  await page.goto(`/projects/${project.id}/settings`);
  // Only an archived project can be deleted: archiving comes first, and can be undone.
  await expect(page.getByRole('button', { name: 'Delete project' })).toHaveCount(0);
  await api.archive(project.id);
  await page.reload();
  const button = page.getByRole('button', { name: 'Delete project' });
  await expect(button).toBeDisabled();
  const name = page.getByLabel(/Type the project’s name/);
  await name.fill('Delete e2');
  await expect(button).toBeDisabled();
  await name.fill('Delete e2e');
  await button.click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { name: 'Delete e2e' })).toHaveCount(0);
  await admin.context.close();
  await api.dispose();

  const labeller = await signedInPage(browser, ada.email, ada.password);
  const response = await labeller.page.goto(`/projects/${project.id}/label`);
  expect(response?.status()).toBe(404);
  await labeller.context.close();
});
