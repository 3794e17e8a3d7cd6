import { expect, test, type Page } from '@playwright/test';
import { AdminApi } from './support/api';
import { signedInPage } from './support/pages';

/**
 * The labelling page where the main story (labelling.spec.ts) does not go, each test in a scene of its own
 * set through the API.
 */
let admin: AdminApi;

test.beforeAll(async () => {
  admin = await AdminApi.signIn();
});

test.afterAll(async () => {
  await admin.dispose();
});

/** Text items named `${prefix}1`, `${prefix}2`… */
function texts(prefix: string, count: number): { id: string; text: string }[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `${prefix}${index + 1}`,
    text: `text ${index + 1}`,
  }));
}

const TEXT = { inputKind: 'text', shape: null } as const;

async function openLabelPage(page: Page, projectId: string, firstItem: string): Promise<void> {
  await page.goto(`/projects/${projectId}/label`);
  await expect(page.getByTestId('item')).toHaveAttribute('data-external-id', firstItem);
}

test('multi-label: Enter or Space on a focused class button toggles it; Enter elsewhere submits', async ({
  browser,
}) => {
  const jo = await admin.labeller('Jo');
  const project = await admin.project(
    { ...TEXT, classes: ['red', 'green', 'blue'], multiLabel: true },
    texts('j', 2),
    [jo],
  );
  const { context, page } = await signedInPage(browser, jo.email, jo.password);
  await openLabelPage(page, project.id, 'j1');
  const button = (name: string) =>
    page.getByRole('group', { name: /^Classes/ }).getByRole('button', { name });

  await page.keyboard.press('2');
  await expect(button('green')).toHaveAttribute('aria-pressed', 'true');
  await button('red').focus();
  await page.keyboard.press('Enter');
  await expect(button('red')).toHaveAttribute('aria-pressed', 'true');
  await button('blue').focus();
  await page.keyboard.press(' ');
  await expect(button('blue')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Enter');
  await expect(button('blue')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('item')).toHaveAttribute('data-external-id', 'j1');
  await expect(page.getByTestId('my-count')).toHaveText('you: 0');

  await button('blue').blur();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('item')).toHaveAttribute('data-external-id', 'j2');
  await expect(page.getByTestId('my-count')).toHaveText('you: 1');
  await context.close();
});
