import { expect, test } from '@playwright/test';
import { signIn, snap } from './screens.ts';

// S2 continued (after journey 06): Dr. Mei Lin writes and signs the incident report of
// Riley Okafor's emergency; it locks; she adds an addendum the next morning; her
// supervisor Dr. Amara Singh finds it in "Reviews waiting" on her own screen, co-signs it
// and closes the review. Everyone here is invented.
const mei = { email: 'mei.lin@example.test', password: 'mei lin synthetic passphrase' };
const amara = { email: 'amara.singh@example.test', password: 'amara singh synthetic passphrase' };

test('S2: Dr. Lin signs the incident report, adds an addendum, and Dr. Singh co-signs on her own screen', async ({ page, browser }) => {
  await signIn(page, mei);
  await page.goto('/incidents');
  await page.getByRole('list', { name: 'Open incidents' }).getByRole('listitem').filter({ hasText: 'Riley Okafor' })
    .getByRole('link', { name: 'Imminent risk to self' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Imminent risk to self/ })).toBeVisible();
  await page.getByRole('link', { name: 'Open the incident report' }).click();

  // The draft: built from the incident; the risk prefilled from the C-SSRS screener.
  await expect(page.getByRole('heading', { level: 1, name: 'Incident report' })).toBeVisible();
  const facts = page.getByRole('region', { name: 'From the record' });
  await expect(facts).toContainText('Paged: Dr. Amara Singh');
  await expect(facts).toContainText(/Acknowledged by Dr\. Amara Singh/);
  await expect(facts).toContainText('Emergency contact: Dana Okafor');
  await expect(facts).toContainText('Riley is not safe alone tonight; the crisis team is on the way.');
  await expect(facts).toContainText(/Legal basis: HIPAA 45 CFR 164\.510\(b\)\(3\)/);
  const draft = page.getByRole('form', { name: 'Your account' });
  await expect(draft.getByLabel('Risk level')).toHaveValue('high');
  await expect(draft.getByLabel('Clinical justification')).toHaveValue(/items 1 yes, 2 yes, 3 yes, 4 yes, 5 no, 6 no; triage high/);
  await snap(page, '50-report-draft');

  await draft.getByLabel('What happened').fill(
    'During a video session Riley said they had thought about how they would end their life and intended to. '
    + 'I stayed on the call, completed the C-SSRS screener, called the mobile crisis team and Riley’s sister, and paged Dr. Singh.',
  );
  await draft.getByLabel('The client’s exact words').fill('I’ve thought about how I’d do it, and I mean to.');
  await draft.getByLabel('Clinical justification').fill(
    'C-SSRS screener items 1–4 yes (intent with a method), 5 and 6 no. Alone at home tonight; the sister is the only support nearby.',
  );
  await draft.getByLabel('Mitigation plan').fill(
    'Mobile crisis team to Riley’s home; sister staying overnight; contact within 24 hours; next session within 72 hours; means safety discussed.',
  );
  await draft.getByRole('button', { name: 'Save draft' }).click();
  await expect(draft.getByRole('status')).toHaveText('Draft saved.');
  await draft.getByRole('button', { name: 'Sign and lock' }).click();

  // Signed: locked, with who, when and the content's SHA-256.
  const signed = page.getByRole('region', { name: 'Signed report' });
  await expect(signed).toContainText('Locked: this report cannot be changed.');
  await expect(signed).toContainText(/Signed by Dr\. Mei Lin/);
  await expect(signed).toContainText(/SHA-256 [0-9a-f]{12}… · content matches/);
  await expect(signed.getByRole('blockquote')).toHaveText('I’ve thought about how I’d do it, and I mean to.');
  await expect(page.getByText('Signed · awaiting review')).toBeVisible();
  await expect(page.getByRole('form', { name: 'Your account' })).toHaveCount(0);
  await snap(page, '51-report-signed');

  // The next morning: an addendum, signed by its author; the report itself stays as signed.
  const addenda = page.getByRole('region', { name: 'Addenda' });
  await addenda.getByRole('button', { name: 'Add addendum' }).click();
  await addenda.getByLabel('Addendum').fill('Next morning: the crisis team saw Riley at home last night; Riley is safe at their sister’s and agreed to the plan.');
  await addenda.getByRole('button', { name: 'Sign and add' }).click();
  await expect(addenda.getByRole('listitem')).toHaveCount(1);
  await expect(addenda).toContainText(/Riley is safe at their sister’s/);
  await expect(addenda).toContainText(/Signed by Dr\. Mei Lin/);
  await snap(page, '52-report-addendum');
  const reportUrl = page.url().replace(/^https?:\/\/[^/]+/, '');

  // Dr. Singh, on her own screen: "Reviews waiting".
  const hers = await browser.newContext();
  const singh = await hers.newPage();
  await signIn(singh, amara);
  await singh.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' }).click();
  await expect(singh.getByRole('heading', { level: 1, name: 'Reviews waiting' })).toBeVisible();
  const waiting = singh.getByRole('list', { name: 'Reports waiting' }).getByRole('listitem').filter({ hasText: 'Riley Okafor' });
  await expect(waiting).toContainText('Imminent risk to self');
  await expect(waiting).toContainText(/Signed by Dr\. Mei Lin .* · 1 addendum/);
  await snap(singh, '53-reviews-waiting');
  await waiting.getByRole('link', { name: /Review the report: Riley Okafor/ }).click();

  const review = singh.getByRole('region', { name: 'Supervisor review' });
  await expect(review).toContainText('Awaiting review by a supervisor of Dr. Mei Lin');
  await review.getByLabel('Co-sign note').fill('Reviewed with Dr. Lin the next morning. Risk formulation and plan agreed; keep the 24-hour contact.');
  await snap(singh, '54-report-cosign');
  await review.getByRole('button', { name: 'Co-sign report' }).click();
  await expect(review).toContainText(/Reviewed and co-signed by Dr\. Amara Singh/);
  await expect(singh.getByText('Reviewed and co-signed', { exact: true })).toBeVisible();
  await review.getByRole('button', { name: 'Close review' }).click();
  await expect(review).toContainText(/Review closed by Dr\. Amara Singh/);
  await expect(singh.getByText('Closed', { exact: true })).toBeVisible();
  await snap(singh, '55-report-closed');

  // Nothing left waiting for her.
  await singh.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' }).click();
  await expect(singh.getByText('No reports are waiting for your review.')).toBeVisible();
  await hers.close();

  // Dr. Lin sees the co-signature on her report.
  await page.goto(reportUrl);
  await expect(page.getByRole('region', { name: 'Supervisor review' })).toContainText(/Reviewed and co-signed by Dr\. Amara Singh/);
  await expect(page.getByRole('region', { name: 'Supervisor review' })).toContainText('Risk formulation and plan agreed');
  await snap(page, '56-report-cosigned-clinician');
});
