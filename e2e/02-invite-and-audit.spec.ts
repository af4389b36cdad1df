import { expect, test } from '@playwright/test';
import { snap } from './screens.ts';

// The owner set up in 01 invites a clinician, who accepts; then the owner reads the audit trail.
const owner = { email: 'olivia.owner@example.test', password: 'a long synthetic passphrase' };

test('the owner invites a clinician, who accepts, and the owner finds it all in the audit trail', async ({ page, browser }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();

  await page.getByLabel('Name', { exact: true }).fill('Dr. Mei Lin');
  await page.getByLabel('Email').fill('mei.lin@example.test');
  await page.getByLabel('Role').selectOption('clinician');
  await page.getByRole('button', { name: 'Send invite' }).click();
  const link = await page.getByLabel('Invite link').inputValue();
  expect(link).toMatch(/\/invite\/[\w-]{20,}$/);
  await snap(page, '06-invite-sent');

  // The clinician opens the link in their own browser.
  const theirs = await browser.newContext();
  const invitee = await theirs.newPage();
  await invitee.goto(link);
  await expect(invitee.getByText('mei.lin@example.test')).toBeVisible();
  await invitee.getByLabel('Password', { exact: true }).fill('mei lin synthetic passphrase');
  await invitee.getByLabel('Confirm password').fill('mei lin synthetic passphrase');
  await snap(invitee, '07-accept-invite');
  await invitee.getByRole('button', { name: 'Create account' }).click();
  await expect(invitee.getByText('Your account is ready. Sign in.')).toBeVisible();
  await invitee.getByLabel('Email').fill('mei.lin@example.test');
  await invitee.getByLabel('Password').fill('mei lin synthetic passphrase');
  await invitee.getByRole('button', { name: 'Sign in' }).click();
  await expect(invitee.getByRole('banner')).toContainText('Dr. Mei Lin');
  // A clinician has no audit trail or user administration.
  await expect(invitee.getByRole('navigation').getByRole('link', { name: 'Audit trail' })).toHaveCount(0);
  await snap(invitee, '08-home-clinician');
  await theirs.close();

  await page.getByRole('navigation').getByRole('link', { name: 'Audit trail' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit trail' })).toBeVisible();
  await page.getByLabel('Action').fill('users.invite');
  await page.getByRole('button', { name: 'Show events' }).click();
  const rows = page.getByRole('row');
  await expect(rows.filter({ hasText: 'users.invite.accept' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'auth.sign_in' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByText(/The audit trail is intact\. \d+ events checked\./)).toBeVisible();
  await snap(page, '09-audit-trail');
});
