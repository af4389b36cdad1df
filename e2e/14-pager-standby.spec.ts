import { randomUUID } from 'node:crypto';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { StageHand } from './api.ts';
import { signIn, snap } from './screens.ts';

// The pager standby (after journey 06): Dr. Amara Singh, on call, leaves Holdspace open at
// night. Her session ends after 30 idle minutes (automatic logoff) and the sign-in screen
// shows; it still stands by for her pages. Dr. Mei Lin opens "imminent risk to self" for
// a client: the sign-in screen sounds "You are being paged" and names nobody; Dr. Singh
// signs in and sees who and where. Then she stops standing by; an explicit sign-out ends a
// standby too, and the front desk is never offered one. Everyone here is invented.
const mei = { email: 'mei.lin@example.test', password: 'mei lin synthetic passphrase' };
const amara = { email: 'amara.singh@example.test', password: 'amara singh synthetic passphrase' };
const jamie = { email: 'jamie.front@example.test', password: 'jamie synthetic passphrase' };
const client = 'Noor Haddad';
let clientId = '';

test.beforeAll(async ({ baseURL }) => {
  const her = await StageHand.signIn(baseURL!, mei);
  ({ id: clientId } = await her.send<{ id: string }>('POST', '/api/clients', { legalName: client, pronouns: 'she/her', phone: '+15105550181' }));
  await her.dispose();

  // Dr. Singh starts the night with nothing waiting: pages left open by earlier journeys are answered.
  const singh = await StageHand.signIn(baseURL!, amara);
  const { pages } = await singh.get<{ pages: { id: string; status: string }[] }>('/api/pages');
  for (const p of pages.filter((p) => p.status === 'open')) await singh.send('POST', `/api/pages/${p.id}/acknowledge`, {});
  await singh.dispose();
});

/** The idle timeout, without waiting 30 minutes: only the session cookie goes; the standby stays. */
async function sessionEnds(context: BrowserContext, page: Page) {
  await context.clearCookies({ name: 'hs_session' });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
}

async function signInHere(page: Page, who: { email: string; password: string }) {
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** Signs in (`how`) and waits until the app has stood the browser by. */
async function standingBy(page: Page, how: () => Promise<void>) {
  const stoodBy = page.waitForResponse((r) => r.url().endsWith('/api/pager/standby') && r.request().method() === 'POST');
  await how();
  expect((await stoodBy).status()).toBe(200);
}

/** What the stream answers this browser now: 401 STANDBY_ENDED once the standby is over. */
async function streamAnswer(page: Page): Promise<{ status: number; code?: string }> {
  const res = await page.request.get('/api/pager/stream', { timeout: 10_000 });
  const status = res.status();
  return status === 200 ? { status } : { status, code: (await res.json()).code };
}

test('after her session ends, the sign-in screen hears that Dr. Singh is paged, says nothing about the client, and she signs in to see it', async ({ browser, baseURL }) => {
  const hers = await browser.newContext();
  const singh = await hers.newPage();
  // Signing in stands her browser by (a cookie that reads nothing).
  await standingBy(singh, () => signIn(singh, amara));
  const cookie = (await hers.cookies()).find((c) => c.name === 'hs_pager');
  expect(cookie?.httpOnly).toBe(true);

  // Half an hour later her session has ended; the sign-in screen stands by.
  await sessionEnds(hers, singh);
  const standby = singh.getByRole('region', { name: 'Pager standby' });
  await expect(standby).toContainText(/Standing by for pages until \d{1,2}:\d{2}/);
  await expect(standby).toContainText('If a colleague pages you, this screen will sound and show it.');
  await expect(standby).toContainText('Dr. Amara Singh');
  await snap(singh, '95-pager-standing-by');

  // Dr. Lin opens "imminent risk to self": her supervisor is paged at once.
  const lin = await StageHand.signIn(baseURL!, mei);
  const incidentId = randomUUID();
  await lin.send('POST', '/api/incidents', { id: incidentId, runId: randomUUID(), clientId, protocolKey: 'imminent-risk-to-self' });
  await lin.dispose();

  const paged = singh.getByRole('alert').filter({ hasText: 'You are being paged' });
  await expect(paged).toContainText('A colleague needs help now. Sign in to see who and where.');
  await expect(paged).toContainText(/Paged at \d{1,2}:\d{2}/);
  // Signed out, nothing about the page: no client, no protocol, no colleague.
  const screen = singh.locator('body');
  await expect(screen).not.toContainText(client);
  await expect(screen).not.toContainText(/Imminent risk/i);
  await expect(screen).not.toContainText('Mei Lin');
  // The tab says so too, for a screen left in the background.
  await expect(singh).toHaveTitle(/^\(!\) /);
  await snap(singh, '96-pager-paged-signed-out');

  // She signs in: the page alert says who and where; she acknowledges.
  await signInHere(singh, amara);
  const alert = singh.getByRole('region', { name: /for you$/ }).getByRole('listitem').filter({ hasText: 'Dr. Mei Lin' });
  await expect(alert).toContainText('Imminent risk to self');
  await snap(singh, '97-pager-signed-in-page-alert');
  await alert.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(alert).toContainText('You acknowledged the page from Dr. Mei Lin');
  await hers.close();
});

test('she stops standing by from the sign-in screen; an explicit sign-out ends a standby too', async ({ browser }) => {
  const hers = await browser.newContext();
  const singh = await hers.newPage();
  await standingBy(singh, () => signIn(singh, amara));
  await sessionEnds(hers, singh);
  const standby = singh.getByRole('region', { name: 'Pager standby' });
  await expect(standby).toBeVisible();
  await standby.getByRole('button', { name: 'Stop standing by' }).click();
  await expect(standby).toHaveCount(0);
  await expect(singh.getByRole('status').filter({ hasText: 'Stopped standing by' })).toBeFocused();
  await snap(singh, '98-pager-stopped');
  expect(await streamAnswer(singh)).toEqual({ status: 401, code: 'STANDBY_ENDED' });

  // Signing in stands the browser by again; signing out on purpose ends it.
  await standingBy(singh, () => signInHere(singh, amara));
  await singh.getByRole('button', { name: 'Sign out' }).click();
  await expect(singh.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  expect(await streamAnswer(singh)).toEqual({ status: 401, code: 'STANDBY_ENDED' });
  await expect(singh.getByRole('region', { name: 'Pager standby' })).toHaveCount(0);
  await hers.close();
});

test('the front desk is never offered a standby', async ({ browser, baseURL }) => {
  const theirs = await browser.newContext();
  const desk = await theirs.newPage();
  const asked: string[] = [];
  desk.on('request', (r) => {
    if (r.url().includes('/api/pager/standby')) asked.push(r.url());
  });
  await signIn(desk, jamie);
  await desk.goto('/');
  await expect(desk.getByRole('button', { name: 'Sign out' })).toBeVisible();
  expect(asked).toEqual([]);
  expect((await theirs.cookies()).map((c) => c.name)).not.toContain('hs_pager');
  // …and the server would refuse it.
  const stage = await StageHand.signIn(baseURL!, jamie);
  expect((await stage.attempt('POST', '/api/pager/standby', {})).status()).toBe(403);
  await stage.dispose();
  await theirs.close();
});
