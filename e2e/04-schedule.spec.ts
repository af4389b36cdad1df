import { expect, test } from '@playwright/test';
import { signIn, snap } from './screens.ts';

// The schedule: the owner adds the office with its crisis resources and invites the
// front desk; Jamie (front desk) books Jordan with Dr. Mei Lin today and moves it; Dr. Lin
// sees the session on Today with Jordan's risk and readiness. Everyone here is invented.
const owner = { email: 'olivia.owner@example.test', password: 'a long synthetic passphrase' };
const mei = { email: 'mei.lin@example.test', password: 'mei lin synthetic passphrase' };
const jamie = { email: 'jamie.front@example.test', password: 'jamie synthetic passphrase' };

test('the owner adds the office with its crisis resources and invites the front desk', async ({ page, browser }) => {
  await signIn(page, owner);
  await page.getByRole('navigation').getByRole('link', { name: 'Locations' }).click();
  const form = page.getByRole('form', { name: 'Add a location' });
  await form.getByLabel('Location name').fill('Oakland office');
  await form.getByLabel('Address', { exact: true }).fill('100 Example Avenue, Oakland, CA 94612');
  await form.getByLabel('Mobile crisis team').fill('County mobile crisis team');
  await form.getByLabel('Mobile crisis phone').fill('510-555-0190');
  await form.getByRole('button', { name: 'Save location' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Oakland office' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Call Emergency services, 911' })).toHaveAttribute('href', 'tel:911');
  await snap(page, '16-locations');

  await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Jamie Front');
  await page.getByLabel('Email').fill(jamie.email);
  await page.getByLabel('Role').selectOption('front_desk');
  await page.getByRole('button', { name: 'Send invite' }).click();
  const link = await page.getByLabel('Invite link').inputValue();
  const theirs = await browser.newContext();
  const invitee = await theirs.newPage();
  await invitee.goto(link);
  await invitee.getByLabel('Password', { exact: true }).fill(jamie.password);
  await invitee.getByLabel('Confirm password').fill(jamie.password);
  await invitee.getByRole('button', { name: 'Create account' }).click();
  await expect(invitee.getByText('Your account is ready. Sign in.')).toBeVisible();
  await theirs.close();
});

test('the front desk books and moves a session; the clinician sees it on Today with the client readiness', async ({ page, browser }) => {
  await signIn(page, jamie);
  await page.getByRole('navigation').getByRole('link', { name: 'Schedule' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Schedule' })).toBeVisible();
  const form = page.getByRole('form', { name: 'Book appointment' });
  await form.getByRole('combobox', { name: 'Client' }).fill('Jordan');
  await page.getByRole('option', { name: 'Jordan Reyes' }).click();
  await form.getByLabel('Clinician').selectOption({ label: 'Dr. Mei Lin' });
  await form.getByLabel('Start time').fill('23:00');
  await form.getByLabel('Length (minutes)').fill('50');
  await form.getByRole('radio', { name: 'In person' }).check();
  await form.getByLabel('Location').selectOption({ label: 'Oakland office' });
  await form.getByRole('button', { name: 'Book appointment' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Booked Jordan Reyes with Dr. Mei Lin/ })).toBeVisible();
  // The front desk sees names and times only.
  await expect(page.getByText(/risk/i)).toHaveCount(0);
  await snap(page, '17-front-desk-schedule');

  await page.getByRole('button', { name: 'Move', exact: true }).first().click();
  const move = page.getByRole('form', { name: "Move Jordan Reyes's appointment" });
  await move.getByLabel('Start time').fill('22:00');
  await move.getByRole('button', { name: 'Move appointment' }).click();
  await expect(page.getByRole('status').filter({ hasText: /moved to/ })).toBeVisible();

  const hers = await browser.newContext();
  const clinician = await hers.newPage();
  await signIn(clinician, mei);
  await clinician.goto('/');
  await expect(clinician.getByRole('heading', { level: 1, name: 'Today' })).toBeVisible();
  const session = clinician.getByRole('listitem').filter({ hasText: 'Jordan Reyes' });
  await expect(session).toContainText('10:00 – 10:50 PM');
  await expect(session).toContainText('Oakland office');
  await expect(session).toContainText('Risk not assessed');
  await expect(session.getByRole('link', { name: 'Jordan Reyes' })).toBeVisible();
  await snap(clinician, '18-today-clinician');
  await hers.close();
});
