import { expect, test } from '@playwright/test';
import { snap } from './screens.ts';

// First run: the owner of a new (synthetic) practice sets it up, signs in and out.
const owner = { name: 'Olivia Ortega', email: 'olivia.owner@example.test', password: 'a long synthetic passphrase' };

test('first visit offers setup; the owner sets up the practice, signs in and signs out', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Set up your practice' })).toBeVisible();
  await snap(page, '01-setup');

  await page.getByLabel('Practice name').fill('Harbor Counseling');
  await page.getByLabel('Time zone').selectOption('America/Los_Angeles');
  await page.getByLabel('Your name').fill(owner.name);
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password', { exact: true }).fill('too short');
  await page.getByRole('button', { name: 'Set up practice' }).click();
  await expect(page.getByRole('alert')).toContainText(/12 characters/);
  await snap(page, '02-setup-short-password');

  await page.getByLabel('Password', { exact: true }).fill(owner.password);
  await page.getByRole('button', { name: 'Set up practice' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.getByText('Your practice is ready. Sign in to continue.')).toBeVisible();
  await snap(page, '03-sign-in');

  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill('the wrong passphrase');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText(/not right/i);

  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('banner')).toContainText('Harbor Counseling');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Olivia');
  await snap(page, '04-home-owner');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('You have signed out.')).toBeVisible();
  await snap(page, '05-signed-out');

  // Setup is gone for good.
  await page.goto('/setup');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
});
