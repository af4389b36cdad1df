import { expect, test, type Page } from '@playwright/test';
import { addPerson, StageHand, startsSoon } from './api.ts';
import { signIn, snap } from './screens.ts';

// S2, a client at high risk on a video session (seeds 001, 004): Dr. Mei Lin confirms
// where Riley Okafor is and a callback number, opens "imminent risk to self"; the
// C-SSRS screener triages high; her supervisor Dr. Amara Singh is paged at once and
// acknowledges on her own screen; the call to Riley's sister is recorded as a
// disclosure. Everyone here is invented.
const owner = { email: 'olivia.owner@example.test', password: 'a long synthetic passphrase' };
const mei = { email: 'mei.lin@example.test', password: 'mei lin synthetic passphrase' };
const amara = { email: 'amara.singh@example.test', password: 'amara singh synthetic passphrase', name: 'Dr. Amara Singh', role: 'supervisor' };

test.beforeAll(async ({ baseURL }) => {
  const olivia = await StageHand.signIn(baseURL!, owner);
  const amaraId = await addPerson(olivia, baseURL!, amara);
  const { clinicians } = await olivia.get<{ clinicians: { id: string; name: string }[] }>('/api/clinicians');
  const meiId = clinicians.find((c) => c.name === 'Dr. Mei Lin')!.id;
  await olivia.send('PUT', `/api/users/${amaraId}/supervisees`, { clinicianIds: [meiId] });
  await olivia.dispose();

  const her = await StageHand.signIn(baseURL!, mei);
  const { id: rileyId } = await her.send<{ id: string }>('POST', '/api/clients', {
    legalName: 'Riley Okafor', pronouns: 'they/them', phone: '+15105550122', address: '12 Example Street, Apt 3, Oakland, CA 94607',
  });
  await her.send('POST', `/api/clients/${rileyId}/emergency-contacts`, {
    name: 'Dana Okafor', relationship: 'Sister', phones: ['+15105550134'], priority: 1, mayBeTold: 'That Riley needs support now',
    consentScope: 'emergency', consentGivenOn: '2026-01-15', consentExpiresOn: null,
  });
  await bookFree(her, { clientId: rileyId, clinicianId: meiId, minutes: 50, modality: 'telehealth' });
  await her.dispose();
});

/** Books the first free slot from now on (Dr. Lin may have other sessions today). */
async function bookFree(stage: StageHand, appointment: Record<string, unknown>) {
  for (const offset of [0, 60, 120, 180, -60, -120]) {
    const tried = await stage.attempt('POST', '/api/appointments', { ...appointment, startsAt: startsSoon(offset) });
    if (tried.status() === 201) return;
    expect(tried.status(), await tried.text()).toBe(409);
  }
  throw new Error('no free slot today');
}

async function current(page: Page) {
  return page.getByRole('region', { name: 'Steps' }).getByRole('article');
}

test('S2: imminent risk on a video session triages high; the supervisor acknowledges the page on her own screen', async ({ page, browser, baseURL }) => {
  // Dr. Singh is signed in elsewhere, on her own day.
  const hers = await browser.newContext();
  const singh = await hers.newPage();
  await signIn(singh, amara);
  // Away from her desk, pages reach her by text too: she gives the number once.
  await singh.goto('/settings/emergencies');
  const byText = singh.getByRole('region', { name: 'Your pages by text' });
  await byText.getByLabel('Mobile number for pages').fill('(510) 555-0142');
  await byText.getByRole('button', { name: 'Save' }).click();
  await expect(byText.getByRole('status')).toHaveText('Your pages will also be texted to +15105550142.');
  await snap(singh, '28a-pages-by-text');
  await singh.goto('/today');

  await signIn(page, mei);
  await page.goto('/today');
  const card = page.getByRole('listitem').filter({ hasText: 'Riley Okafor' });
  await card.getByRole('button', { name: 'Start session' }).click();
  // Telehealth: where Riley is and a callback number, confirmed before the session starts.
  await expect(page.getByLabel('Where Riley Okafor is right now')).toHaveValue('12 Example Street, Apt 3, Oakland, CA 94607');
  await expect(page.getByLabel('Callback number')).not.toHaveValue('');
  await snap(page, '26-telehealth-confirm-location');
  // The confirmation's own button (another appointment's card may say "Start session" too at this hour).
  await page.getByRole('form', { name: 'Before the video session with Riley Okafor' }).getByRole('button', { name: 'Start session' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Riley Okafor/ })).toBeVisible();
  await expect(page.getByText('12 Example Street, Apt 3, Oakland, CA 94607')).toBeVisible();
  await expect(page.getByRole('link', { name: /Call County mobile crisis team/ })).toBeVisible();
  await snap(page, '27-telehealth-session');

  await page.getByRole('button', { name: /Emergency \(Alt\+E\)/ }).click();
  await page.getByRole('dialog', { name: 'What is happening?' }).getByRole('button', { name: /Imminent risk to self/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Imminent risk to self/ })).toBeVisible();

  // The page reaches Dr. Singh live, with sound and words; she acknowledges.
  const alert = singh.getByRole('region', { name: 'A page for you' }).getByRole('listitem').filter({ hasText: 'Dr. Mei Lin' });
  await expect(alert).toContainText('Imminent risk to self');
  await snap(singh, '28-supervisor-paged');
  await alert.getByRole('button', { name: 'Acknowledge' }).click();
  const paged = page.getByRole('region', { name: 'Help paged' });
  await expect(paged).toContainText(/Acknowledged by Dr\. Amara Singh/);
  // …and the text went to her phone, naming no client.
  const olivia = await StageHand.signIn(baseURL!, owner);
  const { messages } = await olivia.get<{ messages: { toAddress: string; purpose: string; body: string }[] }>('/api/messaging/outbox');
  const text = messages.find((m) => m.purpose === 'page' && m.toAddress === '+15105550142');
  expect(text?.body).toContain('Open Holdspace');
  expect(text?.body).not.toContain('Riley');
  await olivia.dispose();

  // Stay with Riley; the screener: items 1–4 yes, 5 and 6 no.
  await (await current(page)).getByRole('button', { name: /^Done/ }).click();
  const screener = await current(page);
  for (const [n, yes] of [[1, true], [2, true], [3, true], [4, true], [5, false], [6, false]] as const) {
    await screener.getByRole('group', { name: new RegExp(`^${n}\\.`) }).getByRole('radio', { name: yes ? 'Yes' : 'No' }).check();
  }
  await expect(screener.getByRole('status')).toContainText('High risk');
  await snap(page, '29-cssrs-high');
  await screener.getByRole('button', { name: 'Record screener' }).click();

  // High: emergency services or mobile crisis now, never alone, the emergency contact.
  const call = await current(page);
  await expect(call).toContainText(/Call 911 or the mobile crisis team now/);
  await call.getByRole('button', { name: /^Done/ }).click();
  await (await current(page)).getByRole('button', { name: /^Done/ }).click(); // keep the client with you
  const contact = await current(page);
  await expect(contact).toContainText('Dana Okafor');
  await contact.getByRole('button', { name: 'Record the call to Dana Okafor' }).click();
  await contact.getByLabel('What was said').fill('Riley is not safe alone tonight; the crisis team is on the way.');
  await contact.getByRole('button', { name: 'Done: contacted' }).click();
  await expect(page.getByRole('region', { name: 'Disclosures' })).toContainText('Dana Okafor');
  await expect(page.getByRole('region', { name: 'Timeline' })).toContainText("Client's risk status set to high");
  await snap(page, '30-imminent-risk-high');

  // Dr. Singh watches the same incident live and adds a note.
  await singh.goto(page.url().replace(/^https?:\/\/[^/]+/, ''));
  await singh.getByRole('region', { name: /Add a note/ }).getByRole('textbox').fill('Joining the call now.');
  await singh.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByRole('region', { name: 'Timeline' })).toContainText('Joining the call now.');
  await hers.close();
});
