import { expect, test, type Page } from '@playwright/test';
import { AdminApi } from './support/api';
import { baseUrl, signedInPage } from './support/pages';

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

test('a label whose answer was lost is sent again by Retry only; class keys meanwhile give no second label', async ({
  browser,
}) => {
  const gus = await admin.labeller('Gus');
  const project = await admin.project({ ...TEXT, classes: ['yes', 'no'] }, texts('g', 2), [gus]);
  const { context, page } = await signedInPage(browser, gus.email, gus.password);
  await openLabelPage(page, project.id, 'g1');

  let submits = 0;
  page.on('request', (request) => {
    if (request.method() === 'POST' && /\/api\/items\/\d+\/labels$/.test(request.url())) submits += 1;
  });
  // The label reaches the API, its answer is lost, and the page's own retries find the network down.
  let reachedApi = false;
  await page.route('**/api/items/*/labels', async (route) => {
    if (!reachedApi) await route.fetch();
    reachedApi = true;
    await route.abort('internetdisconnected');
  });
  await page.keyboard.press('1');
  const failure = page.getByRole('alert').filter({ hasText: 'could not be reached' });
  await expect(failure).toBeVisible();
  await expect(failure).toContainText('Retry');
  await expect(page.getByRole('button', { name: 'Retry' })).toBeFocused();
  const submitsBeforeKey = submits;

  // The network is back; the labeller presses another class instead of Retry.
  await page.unroute('**/api/items/*/labels');
  await page.keyboard.press('2');
  await expect(failure).toBeVisible();
  await expect(page.getByTestId('lease-expired')).toHaveCount(0);
  await expect(page.getByTestId('item')).toHaveAttribute('data-external-id', 'g1');
  expect(submits, 'a class key sent no request while Retry was showing').toBe(submitsBeforeKey);
  // Nor does undo, which would take back that label (or, had it been lost, the one before).
  let undos = 0;
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/undo')) undos += 1;
  });
  await page.keyboard.press('u');
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
  expect(undos, 'U sent no undo while Retry was showing').toBe(0);

  // Retry sends the first label again (same clientRequestId): the API answers the label it stored.
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('item')).toHaveAttribute('data-external-id', 'g2');
  await expect(page.getByTestId('my-count')).toHaveText('you: 1');
  await expect(page.getByText('not saved')).toHaveCount(0);
  await context.close();
});

test('a label already given in another tab is told as saved, and the page moves on', async ({ browser }) => {
  const hal = await admin.labeller('Hal');
  const project = await admin.project({ ...TEXT, classes: ['yes', 'no'] }, texts('h', 3), [hal]);
  const { context, page: first } = await signedInPage(browser, hal.email, hal.password);
  const second = await context.newPage();
  // (one labeller holds one lease: both tabs are served the same item)
  await openLabelPage(first, project.id, 'h1');
  await openLabelPage(second, project.id, 'h1');

  await first.keyboard.press('1');
  await expect(first.getByTestId('item')).toHaveAttribute('data-external-id', 'h2');
  await second.keyboard.press('2');
  await expect(
    second.getByRole('status').filter({ hasText: 'Your label for item h1 is already saved' }),
  ).toBeVisible();
  await expect(second.getByTestId('item')).toHaveAttribute('data-external-id', 'h2');
  await expect(second.getByTestId('lease-expired')).toHaveCount(0);
  await expect(second.getByText('not saved')).toHaveCount(0);
  await expect(second.getByTestId('my-count')).toHaveText('you: 1');
  await context.close();
});

test('classes or multi-label changed while the page is open: the page shows them and asks to choose again', async ({
  browser,
}) => {
  const ida = await admin.labeller('Ida');
  const project = await admin.project({ ...TEXT, classes: ['yes', 'no'] }, texts('i', 3), [ida]);
  const { context, page } = await signedInPage(browser, ida.email, ida.password);
  await openLabelPage(page, project.id, 'i1');
  const classes = page.getByRole('group', { name: /^Classes/ });

  await admin.update(project.id, { classes: ['yes', 'maybe'] });
  await page.keyboard.press('2'); // "no", which is gone
  await expect(
    page.getByRole('status').filter({ hasText: 'The classes of this project changed' }),
  ).toBeVisible();
  await expect(classes.getByRole('button', { name: 'maybe' })).toBeVisible();
  await expect(classes.getByRole('button', { name: 'no' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await expect(page.getByTestId('item')).toHaveAttribute('data-external-id', 'i1');
  await page.keyboard.press('2');
  await expect(page.getByTestId('item')).toHaveAttribute('data-external-id', 'i2');
  await expect(page.getByTestId('my-count')).toHaveText('you: 1');

  await admin.update(project.id, { multiLabel: true });
  await page.keyboard.press('1');
  await expect(
    page.getByRole('status').filter({ hasText: 'now takes several classes per item' }),
  ).toBeVisible();
  await expect(page.getByTestId('item')).toHaveAttribute('data-external-id', 'i2');
  await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await page.keyboard.press('1');
  await expect(classes.getByRole('button', { name: 'yes' })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('item')).toHaveAttribute('data-external-id', 'i3');
  await expect(page.getByTestId('my-count')).toHaveText('you: 2');
  await context.close();
});

test('a class an admin adds while the page is open shows with a later item, without a reload', async ({
  browser,
}) => {
  const jo = await admin.labeller('Jo');
  const project = await admin.project({ ...TEXT, classes: ['yes', 'no'] }, texts('j', 3), [jo]);
  const { context, page } = await signedInPage(browser, jo.email, jo.password);
  await page.clock.install();
  await openLabelPage(page, project.id, 'j1');
  const classes = page.getByRole('group', { name: /^Classes/ });

  await admin.update(project.id, { classes: ['yes', 'no', 'maybe'] });
  await page.keyboard.press('1');
  await expect(page.getByTestId('item')).toHaveAttribute('data-external-id', 'j2');
  // (the page's copy is seconds old: not fetched again yet)
  await expect(classes.getByRole('button', { name: 'maybe' })).toHaveCount(0);
  await page.clock.fastForward(20_000);
  await page.keyboard.press('1');
  await expect(page.getByTestId('item')).toHaveAttribute('data-external-id', 'j3');
  await expect(classes.getByRole('button', { name: 'maybe' })).toBeVisible();
  await context.close();
});

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

test('an image that does not load is said so, cannot be labelled, and can be skipped', async ({
  browser,
}) => {
  const kit = await admin.labeller('Kit');
  const missing = `${baseUrl()}/no-such-image.png`; // the site answers 404
  const project = await admin.project(
    { inputKind: 'image', shape: null },
    [{ id: 'k1', url: missing }],
    [kit],
  );
  const { context, page } = await signedInPage(browser, kit.email, kit.password);
  await openLabelPage(page, project.id, 'k1');

  const item = page.getByTestId('item');
  await expect(item).toContainText('This image could not be loaded');
  await expect(item).toContainText(missing);
  for (const button of await page
    .getByRole('group', { name: /^Classes/ })
    .getByRole('button')
    .all()) {
    await expect(button).toBeDisabled();
  }
  await page.keyboard.press('1');
  await expect(item).toHaveAttribute('data-external-id', 'k1');
  await expect(page.getByTestId('my-count')).toHaveText('you: 0');

  await page.keyboard.press('s');
  await expect(page.getByTestId('queue-done')).toContainText('You skipped 1 item');
  await context.close();
});

test('an item on a page the labeller leaves goes back to the queue at once, not when its lease runs out', async ({
  browser,
}) => {
  const hal = await admin.labeller('Hal');
  const project = await admin.project({ ...TEXT, classes: ['yes', 'no'], leaseSeconds: 600 }, texts('h', 2), [
    hal,
  ]);
  const { context, page } = await signedInPage(browser, hal.email, hal.password);
  await openLabelPage(page, project.id, 'h1');
  expect(await admin.leased(project.id)).toBe(1);

  // To another page of the site (no page load), then back: the same item, as nobody took it meanwhile.
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect.poll(() => admin.leased(project.id)).toBe(0);
  await openLabelPage(page, project.id, 'h1');

  // A second tab shows the same item (the labeller's lease): closing it leaves the item with the first tab.
  const second = await context.newPage();
  await openLabelPage(second, project.id, 'h1');
  await second.close();
  await page.waitForTimeout(1000); // (time for a beacon, if one were sent)
  expect(await admin.leased(project.id)).toBe(1);

  // The last tab is closed: the item is free for the next labeller at once.
  await page.close();
  await expect.poll(() => admin.leased(project.id)).toBe(0);
  expect(await admin.takeNext(project.id)).toBe('h1');
  await context.close();
});
