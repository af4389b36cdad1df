import { expect, test, type Page } from '@playwright/test';
import { signIn, snap } from './screens.ts';

// S1, the walkout (seed 003): Jordan Reyes leaves the in-person session without a word.
// Nothing pointed to danger. Dr. Mei Lin presses the emergency control, picks "client
// walks out", waits, Jordan does not come back; the protocol asks for a reach-out the
// same day, she writes a short reflection, and the session ends early with a reschedule
// within the week. The reach-out itself, and the closing, are journey 08.
// Everyone here is invented.
const mei = { email: 'mei.lin@example.test', password: 'mei lin synthetic passphrase' };

/** Answers the next question on the incident screen. */
async function answer(page: Page, question: RegExp, choice: string) {
  const step = page.getByRole('region', { name: 'Steps' }).getByRole('article');
  await expect(step).toContainText(question);
  await step.getByRole('radio', { name: choice, exact: true }).check();
  await step.getByRole('button', { name: 'Record answer' }).click();
}

async function nextStep(page: Page, title: RegExp) {
  const step = page.getByRole('region', { name: 'Steps' }).getByRole('article');
  await expect(step).toContainText(title);
  return step;
}

test('S1: the walkout, from the session to the reach-out the same day', async ({ page }) => {
  await signIn(page, mei);
  await page.goto('/today');
  const card = page.getByRole('listitem').filter({ hasText: 'Jordan Reyes' });
  await card.getByRole('button', { name: 'Start session' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Jordan Reyes/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /Emergency \(Alt\+E\)/ })).toBeVisible();
  const sessionUrl = page.url();
  await snap(page, '20-session-in-person');

  // One keypress opens the choice; the walkout is one click.
  await page.keyboard.press('Alt+e');
  const choose = page.getByRole('dialog', { name: 'What is happening?' });
  await expect(choose.getByRole('button').first()).toBeFocused();
  await snap(page, '21-emergency-choice');
  await choose.getByRole('button', { name: /Client walks out/ }).click();

  await expect(page).toHaveURL(/\/incidents\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: /Client walks out/ })).toBeVisible();
  await answer(page, /Any sign the client is in danger/, 'No');

  const wait = await nextStep(page, /Wait for the client to come back/);
  await wait.getByRole('button', { name: /Start/ }).click();
  await expect(page.getByRole('timer')).toBeVisible();
  await snap(page, '22-walkout-waiting');
  await page.getByRole('region', { name: 'Steps' }).getByRole('article').getByRole('button').first().click(); // the wait is over

  await answer(page, /Did the client come back/, 'No');
  const reachOut = await nextStep(page, /Reach out after the session/);
  await reachOut.getByRole('button', { name: /^Done/ }).click();

  const reflect = await nextStep(page, /Reflect on the session/);
  await reflect.getByRole('textbox').fill('Jordan left after we talked about the family conflict; I may have pressed too soon.');
  await reflect.getByRole('button', { name: /Save|Record/ }).click();

  const agenda = await nextStep(page, /next session's agenda/);
  await agenda.getByRole('button', { name: /^Done/ }).click();

  await page.getByRole('button', { name: 'Complete protocol' }).click();
  const followUps = page.getByRole('region', { name: 'Follow-ups' });
  await expect(followUps).toContainText('Reach out to the client today');
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline).toContainText('Did the client come back?: No');
  await expect(timeline).toContainText('Protocol completed');
  await snap(page, '23-walkout-completed');

  // The incident stays open until the reach-out is done.
  await page.getByRole('button', { name: 'Close incident' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Still to do before closing: Reach out to the client today/ })).toBeVisible();

  // Back in the session: it ends early, with the next appointment booked within the week.
  await page.goto(sessionUrl);
  await page.getByRole('button', { name: 'End early' }).click();
  await page.getByLabel('Why the session is ending early').fill('Jordan left the session and did not come back.');
  await page.getByLabel('Date').fill(inDays(3));
  await page.getByLabel('Start time').fill('10:00');
  await page.getByRole('button', { name: 'End the session early' }).click();
  await expect(page.getByRole('status').filter({ hasText: /ended/i })).toBeVisible();
  await snap(page, '24-session-ended-early');

  // The incident stays open: journey 08 sends the check-in, marks the reach-out done and closes it.
});

/** A date some days ahead in the practice's time zone (America/Los_Angeles), as YYYY-MM-DD. */
function inDays(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles' }).format(new Date(Date.now() + days * 86_400_000));
}
