import type { Page } from '@playwright/test';

/** Screenshots land in e2e/screenshots/ for a person to look at after the run. */
export async function snap(page: Page, name: string) {
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}
