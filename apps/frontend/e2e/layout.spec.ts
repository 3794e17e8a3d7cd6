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

/** What sticks out of a class button (its key hint or its name), or overflows it. */
async function classButtonProblems(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.class-button')).flatMap((button) => {
      const box = button.getBoundingClientRect();
      const [left, right] = [box.left + button.clientLeft, box.right - button.clientLeft];
      const problems =
        button.scrollWidth > button.clientWidth
          ? [`"${button.textContent}" needs ${button.scrollWidth} px and has ${button.clientWidth}`]
          : [];
      for (const part of Array.from(button.children)) {
        const partBox = part.getBoundingClientRect();
        if (partBox.left < left - 0.5 || partBox.right > right + 0.5) {
          problems.push(`"${part.textContent}" sticks out of "${button.textContent}"`);
        }
      }
      return problems;
    }),
  );
}

const LONG_WORDS = [
  'Donaudampfschiffahrtsgesellschaft',
  'Überraschungsmomentausprägung',
  'συναισθηματικήκατηγορίαμεγάλη',
  'とても長い感情分類カテゴリーの名前です',
  'Rechtsschutzversicherungsgesellschaften',
  'непредсказуемостьвысказывания',
];

test('class buttons hold their key and name from three words to 34 long names, and fade while a label is saved', async ({
  browser,
}) => {
  const max = await admin.labeller('Max');
  const sentence =
    'The delivery came two days late, but the support team answered quickly and kindly. '.repeat(3);
  const sentiment = await admin.project(
    { ...TEXT, classes: ['positive', 'negative', 'neutral'] },
    [{ id: 'm1', text: sentence }],
    [max],
  );
  const many = await admin.project(
    { ...TEXT, classes: Array.from({ length: 34 }, (_, index) => `${LONG_WORDS[index % 6]}${index + 1}`) },
    [{ id: 'm1', text: sentence }],
    [max],
  );
  const { context, page } = await signedInPage(browser, max.email, max.password);
  for (const project of [sentiment, many]) {
    await page.goto(`/projects/${project.id}/label`);
    await expect(page.getByTestId('item')).toBeVisible();
    for (const width of [390, 1280, 1920, 2560]) {
      await page.setViewportSize({ width, height: 1000 });
      expect(await classButtonProblems(page), `${project.classes.length} classes at ${width} px`).toEqual([]);
      await expectNoSidewaysScroll(page, `the label page at ${width} px`);
    }
  }

  // A slow save: the buttons are disabled meanwhile, and look it.
  await page.route('**/api/items/*/labels', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await route.continue();
  });
  await page.keyboard.press('1');
  const firstButton = page.locator('.class-button').first();
  await expect(firstButton).toBeDisabled();
  expect(Number(await firstButton.evaluate((button) => getComputedStyle(button).opacity))).toBeLessThan(1);
  await expect(page.getByTestId('queue-done')).toBeVisible();
  await context.close();
});
