import { randomUUID } from 'node:crypto';
import { expect, request, test, type Page } from '@playwright/test';
import { addPerson, StageHand } from './api.ts';
import { signIn, snap } from './screens.ts';

// Script and HTML saved into every text field the app shows (issue 8) stays text: each page
// that shows it is opened, nothing runs (window.__pwned stays undefined, no dialog opens,
// no element is made from it) and the text reads as typed. Runs alone or after journeys 1-12
// (it sets the practice up when nobody has). Everyone is invented.
const owner = { name: 'Olivia Ortega', email: 'olivia.owner@example.test', password: 'a long synthetic passphrase' };
const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '<img src=x onerror="window.__pwned=1;alert(1)">';
const SVG = '"><svg onload=window.__pwned=1>';
const JS_URL = 'javascript:window.__pwned=1';

/** Everything saved, by page: what each shows. */
const saved = { practiceName: null as string | null, clientId: '', incidentId: '', followUpId: '', clinician: { email: '', password: 'inert payload synthetic passphrase' } };

test.beforeAll(async ({ baseURL }) => {
  const anyone = await request.newContext({ baseURL });
  if ((await (await anyone.get('/api/setup')).json()).setupRequired) {
    // Run alone: the practice's own name is a payload too.
    saved.practiceName = `Harbor ${SVG}`;
    const res = await anyone.post('/api/setup', { data: { practiceName: saved.practiceName, timeZone: 'America/Los_Angeles', ownerName: owner.name, email: owner.email, password: owner.password } });
    expect(res.status(), await res.text()).toBe(201);
  }
  await anyone.dispose();
  const olivia = await StageHand.signIn(baseURL!, owner);
  const tag = randomUUID().slice(0, 6);
  saved.clinician.email = `inert-${tag}@example.test`;
  const clinicianId = await addPerson(olivia, baseURL!, { ...saved.clinician, name: `Dr. Ines ${SCRIPT}`, role: 'clinician' });
  await olivia.send('POST', '/api/locations', { name: `Inert office ${IMG}`, address: `${JS_URL} ${SVG}`, mobileCrisisName: SCRIPT });
  await olivia.send('POST', '/api/policy', { title: `Interruptions ${SCRIPT}`, bodyMarkdown: `# Policy ${IMG}\n\nRaw HTML: ${SVG} ${SCRIPT}\n\n[a link](${JS_URL}) and <a href="${JS_URL}">another</a>` });
  await olivia.dispose();

  const ines = await StageHand.signIn(baseURL!, saved.clinician);
  const client = await ines.send<{ id: string }>('POST', '/api/clients', {
    legalName: `Inert ${IMG}`, preferredName: SVG, pronouns: SCRIPT, address: JS_URL, clinicianIds: [clinicianId],
  });
  saved.clientId = client.id;
  const c = `/api/clients/${client.id}`;
  await ines.send('POST', `${c}/emergency-contacts`, { name: `Contact ${SCRIPT}`, relationship: IMG, phones: ['+15105550134'], priority: 1, mayBeTold: `${SVG} ${JS_URL}`, consentScope: 'emergency', consentGivenOn: '2026-01-15' });
  await ines.send('PUT', `${c}/safety-plan`, { basedOnVersion: null, content: {
    warningSigns: [SCRIPT], copingStrategies: [IMG], distractionContacts: [{ name: SVG, note: JS_URL }], helpContacts: [{ name: `Help ${SCRIPT}`, phone: '+15105550135' }],
    professionalContacts: [{ name: '988 Suicide & Crisis Lifeline', phone: '988', note: IMG }], safeEnvironment: [SVG], reasonsForLiving: [JS_URL],
  } });
  await ines.send('POST', `${c}/agenda`, { id: randomUUID(), text: `Agenda ${IMG}` });
  await ines.send('POST', `${c}/referrals`, { id: randomUUID(), toKind: 'external', toName: `Clinic ${SVG}`, toContact: JS_URL, reason: `Referral ${SCRIPT}` });
  await ines.send('POST', `${c}/approach-notes`, { id: randomUUID(), kind: 'adjustment', body: `Approach ${IMG}` });
  saved.incidentId = randomUUID();
  await ines.send('POST', '/api/incidents', { id: saved.incidentId, runId: randomUUID(), clientId: client.id, protocolKey: 'client-walks-out' });
  await ines.send('POST', `/api/incidents/${saved.incidentId}/notes`, { text: `Note ${SVG} ${SCRIPT}` });
  saved.followUpId = randomUUID();
  await ines.send('POST', `${c}/follow-ups`, { id: saved.followUpId, title: `Call ${IMG}`, dueAt: new Date(Date.now() + 86_400_000).toISOString() });
  await ines.send('POST', `/api/follow-ups/${saved.followUpId}/attempts`, { id: randomUUID(), channel: 'voice', outcome: 'no_answer', note: `Attempt ${SCRIPT}` });
  await ines.dispose();
});

/** Opens a page with a watch for script: any dialog, and `window.__pwned`, which nothing may set. */
async function open(page: Page, path: string, dialogs: string[]) {
  await page.goto(path);
  await page.waitForLoadState('networkidle');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), `${path}: a payload ran`).toBeUndefined();
  expect(dialogs, `${path}: a payload opened a dialog`).toEqual([]);
  // Nothing was made from the markup: no image pointing at "x", no svg with a handler, no javascript: link.
  await expect(page.locator('img[src="x"], [onerror], [onload], script:not([src]):not([type="application/json"])')).toHaveCount(0);
  await expect(page.locator('a[href^="javascript:" i]')).toHaveCount(0);
}

/** The payload reads on the page as typed: as text, or as the value of a field that edits it. */
async function shows(page: Page, ...texts: string[]) {
  for (const text of texts) {
    const inFields = await page.locator('input:visible, textarea:visible').evaluateAll((els, t) => els.some((e) => (e as HTMLInputElement).value.includes(t)), text);
    if (!inFields) await expect(page.getByText(text, { exact: false }).filter({ visible: true }).first(), text).toBeVisible();
  }
}

test('script and HTML in every text field shows as text and never runs', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await signIn(page, saved.clinician);

  await open(page, `/clients/${saved.clientId}`, dialogs);
  await shows(page, `Inert ${IMG}`, `Contact ${SCRIPT}`, `Agenda ${IMG}`, `Clinic ${SVG}`, `Referral ${SCRIPT}`, `Approach ${IMG}`);
  await snap(page, '90-inert-client-record');

  await open(page, `/clients/${saved.clientId}/safety-plan`, dialogs);
  await shows(page, SCRIPT, IMG, SVG, JS_URL, `Help ${SCRIPT}`);
  await snap(page, '91-inert-safety-plan');

  await open(page, `/incidents/${saved.incidentId}`, dialogs);
  await shows(page, `Note ${SVG} ${SCRIPT}`);
  await snap(page, '92-inert-incident');

  await open(page, `/follow-ups/${saved.followUpId}`, dialogs);
  await shows(page, `Call ${IMG}`, `Attempt ${SCRIPT}`);
  await open(page, '/clients', dialogs);
  await shows(page, SVG); // the directory lists the client by their preferred name
  await open(page, '/policy', dialogs);
  await shows(page, `Interruptions ${SCRIPT}`);
  // The body is Markdown: raw HTML in it is dropped, not run, and a javascript: link loses its target.
  await expect(page.getByRole('heading', { name: 'Policy', exact: true })).toBeVisible();
  expect(await page.getByText('a link', { exact: true }).getAttribute('href') ?? '').not.toMatch(/^\s*javascript:/i);
  await snap(page, '93-inert-policy');

  // The owner's pages: people, locations, and the practice's own name.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, owner);
  await open(page, '/settings/locations', dialogs);
  await shows(page, `Inert office ${IMG}`);
  await open(page, '/users', dialogs);
  await shows(page, `Dr. Ines ${SCRIPT}`);
  if (saved.practiceName) await shows(page, saved.practiceName);
  await snap(page, '94-inert-people');
});
