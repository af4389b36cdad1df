import { expect, test } from '@playwright/test';
import { postTwilioWebhook, setTwilioAuthToken, StageHand, startsSoon } from './api.ts';
import { signIn, snap } from './screens.ts';

// The urgent-call gate (issue 7; seed 000, "their calling system allows them to filter
// calls"): Dr. Mei Lin keeps her phone silent in session, but her son's school is on her
// list. The school calls during her session with Sam Whitfield: the call breaks through as a
// discreet alert, and she texts back that she will call in 10 minutes. Then her brother
// arrives at the front door; Jamie at the front desk lets her know, and she steps out,
// straight into the protocol for her own emergency. Everyone and every number is invented.
const owner = { email: 'olivia.owner@example.test', password: 'a long synthetic passphrase' };
const mei = { email: 'mei.lin@example.test', password: 'mei lin synthetic passphrase' };
const jamie = { email: 'jamie.front@example.test', password: 'jamie synthetic passphrase' };
const TWILIO_TOKEN = 'synthetic-twilio-auth-token-for-e2e';
const LINE = '+15105550142'; // Dr. Lin's direct line (a Twilio number of the practice)
const SCHOOL = '+15105550177';

let practiceId = '';

test.beforeAll(async ({ baseURL }) => {
  const olivia = await StageHand.signIn(baseURL!, owner);
  await setTwilioAuthToken(olivia, TWILIO_TOKEN);
  await olivia.dispose();

  const her = await StageHand.signIn(baseURL!, mei);
  const me = await her.get<{ user: { id: string }; practice: { id: string } }>('/api/me');
  practiceId = me.practice.id;
  const { locations } = await her.get<{ locations: { id: string }[] }>('/api/locations');
  const { id: samId } = await her.send<{ id: string }>('POST', '/api/clients', { legalName: 'Sam Whitfield', phone: '+15105550161' });
  for (const offset of [0, 60, 120, 180, 240, -60, -120, -180]) {
    const tried = await her.attempt('POST', '/api/appointments', {
      clientId: samId, clinicianId: me.user.id, startsAt: startsSoon(offset), minutes: 50, modality: 'in_person', locationId: locations[0]!.id,
    });
    if (tried.status() === 201) break;
    expect(tried.status(), await tried.text()).toBe(409);
  }
  await her.dispose();
});

/** A call to Dr. Lin's line, signed as Twilio signs it. */
function call(baseURL: string, from: string, callSid: string, token = TWILIO_TOKEN) {
  return postTwilioWebhook(baseURL, `/api/webhooks/twilio/${practiceId}/voice`, {
    AccountSid: `AC${'0'.repeat(32)}`, CallSid: callSid, From: from, To: LINE, CallStatus: 'ringing', Direction: 'inbound',
  }, token);
}

test("the owner sets the practice's emergency numbers and the repeat-call window", async ({ page }) => {
  await signIn(page, owner);
  await page.getByRole('navigation').getByRole('link', { name: 'Urgent calls' }).click();
  const form = page.getByRole('form', { name: "The practice's urgent-call settings" });
  await expect(form.getByLabel('Calls again within')).toHaveValue('5');
  await form.getByLabel('Calls again within').fill('10');
  await form.getByLabel("The front desk's number").fill('(510) 555-0100');
  await form.getByRole('button', { name: 'Add an emergency number' }).click();
  const hospital = form.getByRole('group', { name: 'Emergency number 1' });
  await hospital.getByLabel('Name').fill('Highland Hospital emergency department');
  await hospital.getByLabel('Kind').selectOption('hospital');
  await hospital.getByLabel('Phone number').fill('(510) 555-0188');
  await form.getByRole('button', { name: 'Save practice settings' }).click();
  await expect(form.getByRole('status')).toHaveText("The practice's urgent-call settings are saved.");
  await expect(page.getByRole('region', { name: 'Your line' })).toHaveCount(0); // an owner has no line of her own
  await snap(page, '88-urgent-calls-practice');
});

test("an urgent call reaches the clinician's running session; the front desk alerts her and she steps out", async ({ page, browser, baseURL }) => {
  await signIn(page, mei);

  // Her line and her list: the school always gets through.
  await page.getByRole('navigation').getByRole('link', { name: 'Urgent calls' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Urgent calls' })).toBeVisible();
  const form = page.getByRole('form', { name: 'Your urgent-call settings' });
  await form.getByLabel('Filter my calls and texts while I am in session').check();
  await form.getByLabel('Your direct line').fill('(510) 555-0142');
  await form.getByLabel('Your phone').fill('(510) 555-0143');
  await form.getByLabel('Everyone else, while you are in session').selectOption('voicemail');
  await form.getByRole('button', { name: 'Add a number' }).click();
  const school = form.getByRole('group', { name: 'Breakthrough number 1' });
  await school.getByLabel('Whose number').fill("Lincoln Elementary (Leo's school)");
  await school.getByLabel('Phone number').fill('510-555-0177');
  await form.getByRole('button', { name: 'Save urgent-call settings' }).click();
  await expect(form.getByRole('status')).toHaveText('Your urgent-call settings are saved.');
  await expect(school.getByLabel('Phone number')).toHaveValue('(510) 555-0177');
  await snap(page, '80-urgent-call-settings');

  // A forged call (signed with the wrong token) is refused.
  const forged = await call(baseURL!, SCHOOL, `CA${'f'.repeat(32)}`, 'not-the-practice-token');
  expect(forged.status).toBe(403);

  // The session with Sam starts.
  await page.getByRole('navigation').getByRole('link', { name: 'Today' }).click();
  const card = page.getByRole('listitem').filter({ hasText: 'Sam Whitfield' });
  await card.getByRole('button', { name: 'Start session' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Sam Whitfield/ })).toBeVisible();
  const sessionUrl = page.url();

  // The school calls her line: it breaks through, and the caller is asked to hold while she is told.
  const answered = await call(baseURL!, SCHOOL, `CA${'1'.repeat(32)}`);
  expect(answered.status, answered.body).toBe(200);
  expect(answered.body).toContain('<Dial');
  const alerts = page.getByRole('region', { name: 'Urgent calls for you' });
  await expect(alerts.getByRole('alert')).toHaveText("Urgent call from Lincoln Elementary (Leo's school)"); // live, no reload
  await expect(alerts).toContainText('On your breakthrough list');
  await expect(alerts.getByRole('radio', { name: '10 min' })).toBeChecked();
  await snap(page, '81-urgent-call-alert');

  // Sam can see the screen: discreet words only, nothing of who the school is for or why.
  await page.getByText('Discreet screen').click();
  await expect(page.getByRole('region', { name: 'Someone is trying to reach you' }).getByRole('alert'))
    .toHaveText("Someone is trying to reach you: Lincoln Elementary (Leo's school)");
  await expect(page.getByText('On your breakthrough list')).toHaveCount(0);
  await page.screenshot({ path: 'e2e/screenshots/82-urgent-call-discreet.png' }); // the top of the page
  await page.getByText('Discreet screen').click();

  await alerts.getByRole('button', { name: 'Text back' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Recorded.' })).toContainText('texted back “I will call you in 10 minutes.”');
  await expect(alerts).toHaveCount(0);
  await snap(page, '83-urgent-call-texted-back');

  // The text back went to the school's number through the outbox.
  const olivia = await StageHand.signIn(baseURL!, owner);
  await expect.poll(async () => (await olivia.get<{ messages: { toAddress: string; body: string }[] }>('/api/messaging/outbox')).messages
    .some((m) => m.toAddress === SCHOOL && m.body.includes('I will call you in 10 minutes.'))).toBe(true);
  await olivia.dispose();

  // Her brother is at the front door: Jamie lets her know from the front desk's Today.
  const desk = await browser.newContext();
  const front = await desk.newPage();
  await signIn(front, jamie);
  await front.goto('/today');
  const running = front.getByRole('listitem').filter({ hasText: 'Sam Whitfield' });
  await running.getByRole('button', { name: 'Let the clinician know' }).click();
  const letKnow = front.getByRole('form', { name: 'Let Dr. Mei Lin know' });
  await letKnow.getByLabel('Who is it').fill('Her brother, Tom Lin, at the front door');
  await letKnow.getByLabel('Message').fill('Their father has been taken to hospital. Tom is waiting in reception.');
  await letKnow.getByRole('radio', { name: 'Personal, for Dr. Mei Lin' }).check();
  await snap(front, '84-front-desk-let-know');
  await letKnow.getByRole('button', { name: 'Send to Dr. Mei Lin' }).click();
  await expect(running.getByRole('status')).toHaveText('Dr. Mei Lin has been told. It shows at the top of their session.');
  await expect(front.getByText(/risk/i)).toHaveCount(0); // the front desk sees no clinical detail
  await desk.close();

  // It arrives in her session, live.
  await expect(page).toHaveURL(sessionUrl);
  await expect(alerts.getByRole('alert')).toHaveText('The front desk: Her brother, Tom Lin, at the front door');
  await expect(alerts).toContainText('Their father has been taken to hospital.');
  await expect(alerts.getByRole('button', { name: 'Text back' })).toHaveCount(0); // no number to text
  await snap(page, '85-front-desk-alert-in-session');

  // She steps out: the protocol for her own emergency opens.
  await alerts.getByRole('button', { name: 'Step out' }).click();
  await expect(page).toHaveURL(/\/incidents\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Your own urgent emergency' })).toBeVisible();
  await snap(page, '86-stepped-out-incident');

  // Her record: the school's call, and what happened to it.
  await page.getByRole('navigation').getByRole('link', { name: 'Urgent calls' }).click();
  const recent = page.getByRole('region', { name: 'Recent calls and texts' });
  const row = recent.getByRole('row').filter({ hasText: 'Lincoln Elementary' });
  await expect(row).toContainText('Broke through');
  await expect(row).toContainText('On your breakthrough list');
  await snap(page, '87-recent-calls');
});
