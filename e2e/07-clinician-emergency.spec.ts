import { expect, test } from '@playwright/test';
import { StageHand, startsSoon } from './api.ts';
import { signIn, snap } from './screens.ts';

// S3, the therapist's own emergency (seed 000): at the start Dr. Mei Lin tells Alex Kim
// that an urgent call about her father may come. It comes; she excuses herself with words
// that make clear it is not about Alex, ends the session early with a priority
// reschedule, and a follow-up reminds her to check in tomorrow. The record says what
// happened to the session without Alex's clinical detail. Everyone here is invented.
const mei = { email: 'mei.lin@example.test', password: 'mei lin synthetic passphrase' };

test.beforeAll(async ({ baseURL }) => {
  const her = await StageHand.signIn(baseURL!, mei);
  const { me } = { me: await her.get<{ user: { id: string } }>('/api/me') };
  const { locations } = await her.get<{ locations: { id: string; name: string }[] }>('/api/locations');
  const { id: alexId } = await her.send<{ id: string }>('POST', '/api/clients', { legalName: 'Alex Kim', phone: '+15105550155' });
  for (const offset of [0, 60, 120, 180, 240, -60, -120, -180]) {
    const tried = await her.attempt('POST', '/api/appointments', {
      clientId: alexId, clinicianId: me.user.id, startsAt: startsSoon(offset), minutes: 50, modality: 'in_person', locationId: locations[0]!.id,
    });
    if (tried.status() === 201) break;
    expect(tried.status(), await tried.text()).toBe(409);
  }
  await her.dispose();
});

test("S3: the clinician's own emergency ends the session with a priority reschedule and a follow-up", async ({ page }) => {
  await signIn(page, mei);
  await page.goto('/today');
  const card = page.getByRole('listitem').filter({ hasText: 'Alex Kim' });
  // The availability notice: told at the start that an urgent call may come.
  await card.getByLabel(/I may have to take an urgent call/).check();
  await card.getByRole('button', { name: 'Start session' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Alex Kim/ })).toBeVisible();
  await expect(page.getByLabel(/I may have to take an urgent call/)).toBeChecked();
  const sessionUrl = page.url();

  // The call comes. Discreet: Alex can see the screen.
  await page.getByText('Discreet screen').click();
  await expect(page.getByRole('button', { name: /Options \(Alt\+E\)/ })).toBeVisible();
  await page.keyboard.press('Alt+e');
  const choose = page.getByRole('dialog', { name: 'Options' });
  await expect(choose).not.toContainText('Your own urgent emergency'); // neutral words only
  await snap(page, '31-discreet-choice');
  await choose.getByRole('button', { name: 'Schedule change' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Schedule change' })).toBeVisible();
  await snap(page, '32-discreet-incident');

  // Out of the room, she turns discreet mode off and works through the steps.
  await page.goto(sessionUrl);
  await page.getByText('Discreet screen').click();
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Your own urgent emergency' })).toBeVisible();
  const step = () => page.getByRole('region', { name: 'Steps' }).getByRole('article');
  // The network drops in the corridor: the protocol still answers, and the steps wait to be sent.
  await page.context().setOffline(true);
  await step().getByRole('radio', { name: 'No, I must go now' }).check();
  await step().getByRole('button', { name: 'Record answer' }).click();
  await expect(step()).toContainText('It has nothing to do with you or what you shared.');
  await step().getByRole('button', { name: /^Done/ }).click();
  await expect(page.getByText(/Offline — 2 actions will be sent when the connection returns/)).toBeVisible();
  await snap(page, '33a-offline-queued');
  await page.context().setOffline(false);
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline).toContainText('Can it wait until the session ends?: No, I must go now');
  await expect(page.getByText(/Offline —/)).toHaveCount(0);
  // On the server now, applied once each.
  const server = await StageHand.signIn(new URL(page.url()).origin, mei);
  const incidentId = page.url().split('/incidents/')[1]!;
  await expect.poll(async () => {
    const detail = await server.get<{ runs: { state: { steps: Record<string, { status: string }> } }[] }>(`/api/incidents/${incidentId}`);
    return [detail.runs[0]!.state.steps['can-wait']!.status, detail.runs[0]!.state.steps.excuse!.status];
  }).toEqual(['done', 'done']);
  await server.dispose();
  await expect(step()).toContainText('End the session and offer a priority reschedule');
  await step().getByRole('button', { name: /^Done/ }).click();
  await expect(step()).toContainText('Set a follow-up with the client for tomorrow');
  await step().getByRole('button', { name: /^Done/ }).click();
  await step().getByRole('textbox').fill('Session ended early for a personal emergency of mine; rescheduled with priority.');
  await step().getByRole('button', { name: /Save|Record/ }).click();
  await page.getByRole('button', { name: 'Complete protocol' }).click();
  await expect(page.getByRole('region', { name: 'Follow-ups' })).toContainText('Follow up after your emergency');
  await expect(timeline).toContainText('Protocol completed');
  await expect(timeline).not.toContainText(/risk|C-SSRS|safety plan/i); // nothing of Alex's clinical detail
  await snap(page, '33-clinician-emergency');

  await page.goto(sessionUrl);
  await page.getByRole('button', { name: 'End early' }).click();
  await page.getByLabel('Why the session is ending early').fill('My own urgent family matter; not about the client.');
  await page.getByLabel('Date').fill(tomorrow());
  await page.getByLabel('Start time').fill('08:00');
  await page.getByRole('button', { name: 'End the session early' }).click();
  await expect(page.getByRole('status').filter({ hasText: /ended/i })).toBeVisible();
  await snap(page, '34-session-ended-rescheduled');
});

/** Tomorrow in the practice's time zone (America/Los_Angeles), as YYYY-MM-DD. */
function tomorrow(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles' }).format(new Date(Date.now() + 86_400_000));
}
