import { expect, test } from '@playwright/test';
import { StageHand } from './api.ts';
import { signIn, snap } from './screens.ts';

// Break-glass (issue 6): Jordan Reyes calls the after-hours line in crisis while Dr. Mei
// Lin cannot be reached. Dr. Raj Patel (journey 10), not on Jordan's care team, finds the
// record closed to him, says why he needs it, and reads it for an hour, read-only; Dr. Lin
// is told at once, and the owner sees the reason on the audit trail. Everyone is invented.
const owner = { email: 'olivia.owner@example.test', password: 'a long synthetic passphrase' };
const mei = { email: 'mei.lin@example.test', password: 'mei lin synthetic passphrase' };
const raj = { email: 'raj.patel@example.test', password: 'raj patel synthetic passphrase' };
const REASON = 'Jordan called the after-hours line in crisis; Dr. Lin cannot be reached.';

type Notification = { kind: string; clientId: string | null };

test('break-glass: a clinician off the care team opens the record in an emergency, read-only, and the care team is told', async ({ page, baseURL }) => {
  const her = await StageHand.signIn(baseURL!, mei);
  const { clients } = await her.get<{ clients: { id: string; name: string }[] }>('/api/clients?search=Jordan');
  const jordanId = clients.find((c) => c.name === 'Jordan Reyes')!.id;
  const toldBefore = (await her.get<{ notifications: Notification[] }>('/api/notifications')).notifications
    .filter((n) => n.kind === 'break_glass' && n.clientId === jordanId).length;

  await signIn(page, raj);
  await page.goto(`/clients/${jordanId}`);
  // Closed to him: nothing of the record shows, not even the name.
  await expect(page.getByRole('heading', { level: 1, name: 'Client not found' })).toBeVisible();
  await expect(page.getByText('Jordan Reyes')).toHaveCount(0);
  await page.getByRole('button', { name: 'Break the glass…' }).click();
  const form = page.getByRole('region', { name: 'Break the glass' });
  await expect(form.getByRole('note')).toContainText('read the record, not change it, for 60 minutes');

  // A reason is required: too short, nothing is opened.
  await form.getByLabel('Why do you need this record now?').fill('urgent');
  await form.getByRole('button', { name: 'Break the glass and open the record' }).click();
  await expect(form.getByRole('alert')).toContainText('at least 10 characters');
  await expect(page.getByRole('heading', { level: 1, name: 'Client not found' })).toBeVisible();

  await form.getByLabel('Why do you need this record now?').fill(REASON);
  await expect(form.getByRole('alert')).toHaveCount(0); // the complaint goes once the reason is changed
  await snap(page, '70-break-glass-reason');
  await form.getByRole('button', { name: 'Break the glass and open the record' }).click();

  // The record opens, under a banner that says what this is and until when.
  await expect(page.getByRole('heading', { level: 1, name: /Jordan Reyes/ })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Break-glass access' })).toContainText('read-only');
  await page.screenshot({ path: 'e2e/screenshots/71-break-glass-record.png' }); // the top of the page: the banner and the header

  // Read-only, whole: every panel answers (no "No such client."), and nothing on the page can change the record.
  const incidents = page.getByRole('region', { name: 'Incidents' });
  await expect(incidents.getByRole('link').first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Next session' })).toContainText(/Next appointment|No appointment booked yet/);
  await expect(page.getByRole('region', { name: 'Messages' }).getByRole('button', { name: 'Refresh messages' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Reflections' })).toContainText('Not shown during break-glass access.');
  await expect(page.getByRole('heading', { name: 'Add emergency contact' })).toHaveCount(0);
  await expect(page.getByText('No such client')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^(Save|Add|Change|Remove|Record|Send|Edit|Archive|Restore|Make)/ })).toHaveCount(0);
  // No form at all, but the accounting's period (a way of reading it).
  await expect(page.locator('form:not(.accounting-period)')).toHaveCount(0);
  await expect(page.getByText('Jordan left after we talked about the family conflict')).toHaveCount(0); // Dr. Lin's reflection stays hers
  await snap(page, '72-break-glass-record-read-only');

  // An incident of Jordan's, from the record: its checklist and timeline, read-only.
  await incidents.getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1, name: /Client walks out/ })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Break-glass access' })).toContainText('read-only');
  await expect(page.getByRole('log', { name: 'Timeline' }).getByRole('listitem').first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Add a note' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^(Close|Mark done|Ask for help|Page|Complete|Skip|Save|Add)/ })).toHaveCount(0);
  await expect(page.getByRole('textbox')).toHaveCount(0);
  await snap(page, '73-break-glass-incident');
  await page.getByRole('link', { name: "Back to the client's record" }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Jordan Reyes/ })).toBeVisible();

  // Dr. Lin is told at once (live and in her notifications).
  await expect.poll(async () => (await her.get<{ notifications: Notification[] }>('/api/notifications')).notifications
    .filter((n) => n.kind === 'break_glass' && n.clientId === jordanId).length).toBe(toldBefore + 1);
  await her.dispose();

  // The owner finds the reason on the audit trail, and the reads made under the grant.
  const practice = await StageHand.signIn(baseURL!, owner);
  const audit = await practice.get<{ events: { action: string; detail: Record<string, unknown> }[] }>('/api/audit/events?action=client.break_glass');
  expect(audit.events.some((e) => JSON.stringify(e.detail).includes(REASON))).toBe(true);
  const reads = await practice.get<{ events: { action: string }[] }>('/api/audit/events?action=client.break_glass.read');
  expect(reads.events.length).toBeGreaterThan(0);
  await practice.dispose();
});
