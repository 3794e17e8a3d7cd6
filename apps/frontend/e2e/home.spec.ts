import { expect, test } from '@playwright/test';

test('the site answers with its name', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Foreman' })).toBeVisible();
});
