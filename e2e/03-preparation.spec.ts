import { expect, test } from '@playwright/test';
import { signIn, snap } from './screens.ts';

// Before any emergency (issue 2 of 7): the owner publishes the practice's emergency and
// interruption policy; Dr. Mei Lin (invited in 02) adds Jordan Reyes with an emergency
// contact and channel consents, records Jordan's acknowledgement of the policy, then
// writes Jordan's safety plan and prints it. Everyone here is invented.
const owner = { email: 'olivia.owner@example.test', password: 'a long synthetic passphrase' };
const mei = { email: 'mei.lin@example.test', password: 'mei lin synthetic passphrase' };

test('the owner publishes the emergency and interruption policy', async ({ page }) => {
  await signIn(page, owner);
  await page.getByRole('navigation').getByRole('link', { name: 'Policy' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Emergency and interruption policy' })).toBeVisible();
  await page.getByLabel('Policy text (Markdown)').fill(
    '## When a session may be interrupted\n\nSessions are protected time. Your clinician keeps their phone silent except for emergencies.\n\n' +
    '## If your clinician expects an urgent call\n\nThey tell you at the start of the session, so an interruption is never about you.',
  );
  await page.getByRole('button', { name: 'Publish new version' }).click();
  await page.getByRole('button', { name: 'Yes, publish version 1' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Version 1 published' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'If your clinician expects an urgent call' })).toBeVisible();
  await snap(page, '10-policy-published');
});

test('a clinician adds a client with an emergency contact and channel consents, and records the policy acknowledgement', async ({ page }) => {
  await signIn(page, mei);
  await page.getByRole('navigation').getByRole('link', { name: 'Clients' }).click();
  await page.getByRole('link', { name: 'Add client' }).click();
  await page.getByLabel('Legal name').fill('Jordan Reyes');
  await page.getByLabel('Pronouns').fill('they/them');
  await page.getByLabel('Phone').fill('555');
  await page.getByRole('button', { name: 'Add client' }).click();
  await expect(page.getByRole('alert')).toContainText('Phone');
  await page.getByLabel('Phone').fill('(510) 555-0101');
  await page.getByRole('button', { name: 'Add client' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Jordan Reyes' })).toBeVisible();
  // Nothing is prepared yet, and the page says so.
  await expect(page.getByText('No safety plan').first()).toBeVisible();
  await expect(page.getByText('No emergency contact we may call').first()).toBeVisible();
  await expect(page.getByText('Policy not acknowledged').first()).toBeVisible();
  await snap(page, '11-client-new');

  const contact = page.getByRole('form', { name: 'Add emergency contact' });
  await contact.getByLabel('Name', { exact: true }).fill('Ana Reyes');
  await contact.getByLabel('Relationship').fill('sister');
  await contact.getByLabel('Phone', { exact: true }).fill('510-555-0151');
  await contact.getByLabel('What they may be told').fill('Whether Jordan is safe; no session content.');
  await contact.getByLabel('Consent', { exact: true }).selectOption({ label: 'May be called in an emergency' });
  await contact.getByLabel('Consent date').fill('2026-11-02');
  await contact.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Contact Ana Reyes saved.' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: 'Ana Reyes' })).toBeVisible();
  await expect(page.getByRole('link', { name: '(510) 555-0151' })).toHaveAttribute('href', 'tel:+15105550151');

  const text = page.getByRole('region', { name: 'Text message' });
  await text.getByLabel('Consent', { exact: true }).selectOption('given');
  await text.getByLabel('Date decided').fill('2026-11-02');
  await text.getByLabel('Quiet hours from').fill('21:00');
  await text.getByLabel('Quiet hours until').fill('08:00');
  await text.getByRole('button', { name: 'Save channel' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Text message saved.' })).toBeVisible();
  const voice = page.getByRole('region', { name: 'Voice call' });
  await voice.getByLabel('Consent', { exact: true }).selectOption('refused');
  await voice.getByLabel('Date decided').fill('2026-11-02');
  await voice.getByRole('button', { name: 'Save channel' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Voice call saved.' })).toBeVisible();

  const ack = page.getByRole('form', { name: 'Record acknowledgement' });
  await ack.getByLabel('Date acknowledged').fill(new Date().toISOString().slice(0, 10) > '2026-11-22' ? '2026-11-22' : new Date().toISOString().slice(0, 10));
  await ack.getByLabel('How').selectOption({ index: 1 });
  await ack.getByRole('button', { name: 'Record acknowledgement' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Acknowledgement of version 1 recorded.' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Jordan Reyes' })).toBeVisible();
  await expect(page.getByText('Policy not acknowledged')).toHaveCount(0);
  await expect(page.getByText('No emergency contact we may call')).toHaveCount(0);
  await snap(page, '12-client-safety-net');
});

test('the clinician writes the safety plan with the client and prints it', async ({ page }) => {
  await signIn(page, mei);
  await page.getByRole('navigation').getByRole('link', { name: 'Clients' }).click();
  await page.getByRole('link', { name: /Jordan Reyes/ }).click();
  await page.getByRole('link', { name: 'Open safety plan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Safety plan for Jordan Reyes' })).toBeVisible();

  await page.getByRole('button', { name: 'Add a warning sign' }).click();
  await page.getByLabel('Warning sign 1', { exact: true }).fill('Not sleeping for two nights');
  await page.getByRole('button', { name: 'Add a coping strategy' }).click();
  await page.getByLabel('Coping strategy 1', { exact: true }).fill('Walk around the block and name five things I can see');
  await page.getByRole('button', { name: 'Save safety plan' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Safety plan saved as version 1.' })).toBeVisible();
  // No one to ask for help yet: the plan says so, plainly, as the serious gap.
  await expect(page.getByText('Important: There is no one listed to ask for help.')).toBeVisible();
  await snap(page, '13-safety-plan-gap');

  await page.getByRole('button', { name: 'Add a person to ask for help' }).click();
  const helper = page.getByRole('group', { name: 'Person to ask for help 1' });
  await helper.getByLabel('Name').fill('Ana Reyes (sister)');
  await helper.getByLabel('Phone').fill('510-555-0151');
  await page.getByRole('button', { name: 'Save safety plan' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Safety plan saved as version 2.' })).toBeVisible();
  await expect(page.getByText('Important: There is no one listed to ask for help.')).toHaveCount(0);
  await snap(page, '14-safety-plan');

  const pdf = await page.request.get(await page.getByRole('link', { name: 'Download PDF' }).getAttribute('href') ?? '');
  expect(pdf.headers()['content-type']).toContain('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: 'Save safety plan' })).toBeHidden();
  await expect(page.getByText('Not sleeping for two nights')).toBeVisible();
  await snap(page, '15-safety-plan-print');
  await page.emulateMedia({ media: 'screen' });

  // The client page now shows the plan in place.
  await page.getByRole('link', { name: /Back to Jordan/ }).click();
  await expect(page.getByText('No safety plan')).toHaveCount(0);
});
