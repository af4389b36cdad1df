import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { addPerson, StageHand } from './api.ts';
import { signIn } from './screens.ts';

/** The panel alone: the client page is long, the accounting is what this journey is about. */
const snapPanel = (panel: import('@playwright/test').Locator, name: string) => panel.screenshot({ path: `e2e/screenshots/${name}.png` });

// S5, a threat against someone else (seed 004): Casey Morgan says he will "make Dave from
// the warehouse pay"; Dr. Raj Patel warns Dave through his employer and reports to the
// police, each a disclosure under Cal. Civ. Code 43.92(b). Casey asks for an accounting of
// disclosures (HIPAA 45 CFR 164.528): Dr. Patel produces it on screen, downloads it as CSV
// and PDF, records the request with its 60-day deadline, extends it once and marks it
// provided; the practice owner sees the request waiting. Everyone here is invented.
const owner = { email: 'olivia.owner@example.test', password: 'a long synthetic passphrase' };
const patel = { email: 'raj.patel@example.test', password: 'raj patel synthetic passphrase', name: 'Dr. Raj Patel', role: 'clinician' };
let caseyId = '';

/** Today as the practice (America/Los_Angeles in these journeys) counts it, plus `days`. */
function practiceDay(days = 0): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles' }).format(new Date());
  const t = new Date(`${today}T12:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}
/** 164.528(a): the default period starts six years before today (29 February falls back to the 28th). */
const sixYearsAgo = () => practiceDay().replace(/^(\d{4})/, (y) => String(Number(y) - 6)).replace(/-02-29$/, '-02-28');
const shown = (day: string) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));

test.beforeAll(async ({ baseURL }) => {
  const olivia = await StageHand.signIn(baseURL!, owner);
  await addPerson(olivia, baseURL!, patel);
  await olivia.dispose();

  // The threat-to-others protocol as Dr. Patel ran it (S5); journey 06 shows a protocol in the browser.
  const raj = await StageHand.signIn(baseURL!, patel);
  ({ id: caseyId } = await raj.send<{ id: string }>('POST', '/api/clients', { legalName: 'Casey Morgan', pronouns: 'he/him', phone: '+15105550160' }));
  const incidentId = randomUUID();
  const runId = randomUUID();
  await raj.send('POST', '/api/incidents', { id: incidentId, runId, clientId: caseyId, protocolKey: 'threat-to-others' });
  const step = (action: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    raj.send('POST', `/api/incidents/${incidentId}/runs/${runId}/events`, { id: randomUUID(), action, ...extra });
  await step({ type: 'document', stepId: 'exact-words', text: 'I will make Dave from the warehouse pay — I know where he parks.' });
  await step({ type: 'answer', stepId: 'serious-threat', value: 'yes' });
  await step({ type: 'answer', stepId: 'identifiable-victim', value: 'yes' });
  await step({ type: 'answer', stepId: 'communicated-by', value: 'client' });
  await step({ type: 'mark_done', stepId: 'warn-victim' }, { disclosure: {
    recipientName: 'Dave (warehouse), through his employer', recipientContact: '+15105550177', whatWasSaid: 'A client made a threat against you; take care when you park.',
  } });
  await step({ type: 'mark_done', stepId: 'notify-police' }, { disclosure: {
    recipientName: 'Oakland Police Department', recipientAddress: '455 7th Street, Oakland, CA 94607', whatWasSaid: 'Threat of violence against an identifiable person at his workplace.',
  } });
  await raj.dispose();
});

test('S5: Dr. Patel produces the accounting of disclosures for Casey, downloads it, and tracks Casey\'s request', async ({ page, browser }) => {
  await signIn(page, patel);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
  await page.getByRole('link', { name: 'Casey Morgan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Casey Morgan' })).toBeVisible();

  // The accounting: both disclosures, each with its legal basis, over the six years before today.
  const panel = page.getByRole('region', { name: 'Accounting of disclosures' });
  await expect(panel.getByRole('status').first()).toContainText(`2 disclosures from ${shown(sixYearsAgo())} to ${shown(practiceDay())}`);
  const rows = panel.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('Dave (warehouse), through his employer');
  await expect(rows.nth(1)).toContainText('Potential victim');
  await expect(rows.nth(1)).toContainText('(510) 555-0177');
  await expect(rows.nth(2)).toContainText('Oakland Police Department');
  await expect(rows.nth(2)).toContainText('Law enforcement');
  await expect(rows.nth(2)).toContainText('455 7th Street, Oakland, CA 94607');
  await expect(rows.nth(1)).toContainText('Address not known');
  for (const r of [1, 2]) await expect(rows.nth(r)).toContainText('Cal. Civ. Code 43.92(b)');
  await snapPanel(panel, '60-accounting-of-disclosures');

  // A shorter period: from a year ago to today.
  await panel.getByLabel('From').fill(practiceDay(-365));
  await panel.getByRole('button', { name: 'Show period' }).click();
  await expect(panel.getByRole('status').first()).toContainText(`2 disclosures from ${shown(practiceDay(-365))} to ${shown(practiceDay())}`);

  // Download CSV and PDF for that period.
  const [csv] = await Promise.all([page.waitForEvent('download'), panel.getByRole('link', { name: 'Download CSV' }).click()]);
  expect(csv.suggestedFilename()).toBe(`accounting-of-disclosures-${practiceDay(-365)}-to-${practiceDay()}.csv`);
  const csvText = await fs.readFile((await csv.path())!, 'utf8');
  const lines = csvText.split('\r\n');
  expect(lines[0]).toBe('Date,Time,Recipient,Recipient type,Recipient address,Recipient contact,What was disclosed,Purpose,Legal basis');
  expect(lines[1]).toContain(`${practiceDay()},`);
  // RFC 4180: the comma in the name is quoted; the phone number cannot run as a formula.
  expect(lines[1]).toContain('"Dave (warehouse), through his employer",Potential victim,,\'+15105550177,');
  expect(lines[2]).toContain('Oakland Police Department,Law enforcement,"455 7th Street, Oakland, CA 94607",,');
  expect(csvText).toContain('Cal. Civ. Code 43.92(b)');
  expect(lines).toHaveLength(4); // header, two entries, and the final line break

  const [pdf] = await Promise.all([page.waitForEvent('download'), panel.getByRole('link', { name: 'Download PDF' }).click()]);
  expect(pdf.suggestedFilename()).toBe(`accounting-of-disclosures-${practiceDay(-365)}-to-${practiceDay()}.pdf`);
  const pdfBytes = await fs.readFile((await pdf.path())!);
  expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdfBytes.length).toBeGreaterThan(2000);
  await fs.writeFile(path.join(os.tmpdir(), 'holdspace-10-accounting-of-disclosures.pdf'), pdfBytes); // for a person to look at
  await snapPanel(panel, '61-accounting-period');

  // Casey's written request, received today: due in 60 days.
  const record = panel.getByRole('form', { name: 'Record a request' });
  await expect(record.getByLabel('Requested by')).toHaveValue('Casey Morgan');
  await record.getByLabel('Requested by').fill('Casey Morgan (the client)');
  await record.getByLabel('How it was received').selectOption({ label: 'In writing' });
  await record.getByRole('button', { name: 'Record request' }).click();
  await expect(record.getByRole('status')).toContainText(`Request recorded. Due ${shown(practiceDay(60))}.`);
  const request = panel.getByRole('listitem', { name: `Request received ${shown(practiceDay())}` });
  await expect(request).toContainText('from Casey Morgan (the client) (in writing, recorded by Dr. Raj Patel)');
  await expect(request).toContainText(`Due ${shown(practiceDay(60))} — 60 days left`);
  await snapPanel(panel, '62-accounting-request-recorded');

  // One extension of 30 days, with the reasons the client is told in writing.
  await request.getByRole('button', { name: 'Extend by 30 days' }).click();
  await request.getByLabel('Reason for the extension').fill('Records from our previous system are still being retrieved.');
  await request.getByRole('button', { name: 'Extend the deadline' }).click();
  await expect(request).toContainText(`Due ${shown(practiceDay(90))} — 90 days left`);
  await expect(request).toContainText('Records from our previous system are still being retrieved.');
  await expect(request.getByRole('button', { name: 'Extend by 30 days' })).toHaveCount(0);
  await snapPanel(panel, '63-accounting-request-extended');

  // The owner sees the request waiting, with its deadline; names and dates only.
  const hers = await browser.newContext();
  const olivia = await hers.newPage();
  await signIn(olivia, owner);
  await olivia.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounting requests' }).click();
  await expect(olivia.getByRole('heading', { level: 1, name: 'Accounting requests' })).toBeVisible();
  const waiting = olivia.getByRole('row').filter({ hasText: 'Casey Morgan' });
  await expect(waiting).toContainText(shown(practiceDay(90)));
  await expect(waiting).toContainText('90 days left');
  await expect(olivia.getByRole('main')).not.toContainText('Oakland Police Department');
  // The page content only: a page alert from this incident may be live on her screen (the escalation reaches the owner).
  await olivia.getByRole('main').screenshot({ path: 'e2e/screenshots/64-accounting-requests-owner.png' });
  await hers.close();

  // Provided: the accounting for the period on screen.
  await request.getByRole('button', { name: /^Mark provided/ }).click();
  await expect(request).toContainText(`Provided ${shown(practiceDay())} by Dr. Raj Patel, covering ${shown(practiceDay(-365))} to ${shown(practiceDay())}.`);
  await snapPanel(panel, '65-accounting-request-provided');
});
