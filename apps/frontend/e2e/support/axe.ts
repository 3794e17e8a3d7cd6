import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** The WCAG 2.1 A and AA rules; axe's best-practice rules are left out. */
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Fails on any serious or critical WCAG 2.1 A/AA violation on the page as it is now (`what` names the
 * state in the failure); moderate and minor ones are printed, so a run lists what is left to look at.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  const describe = (violation: (typeof violations)[number]) =>
    `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes
      .map((node) => node.target.join(' '))
      .join(', ')}`;
  const blocking = violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  for (const violation of violations.filter((entry) => !blocking.includes(entry))) {
    console.log(`${what}: ${describe(violation)}`);
  }
  expect(blocking.map(describe), `${what}: serious or critical WCAG 2.1 AA violations`).toEqual([]);
}
