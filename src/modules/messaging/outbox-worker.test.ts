import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, listen, openLiveStream, signedIn } from '../../../test/support/app.ts';
import { createClient, createPractice } from '../../../test/support/fixtures.ts';
import { startOutboxWorker } from './outbox.ts';
import { freePort, smtpTestServer } from '../../../test/support/messaging-servers.ts';

/** Polls until `check` holds, at most `ms`. */
async function eventually(check: () => Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not within ${ms} ms`);
}

describe('the outbox worker (pg-boss) with SMTP down, then back', async () => {
  const { app, db, jobs, live } = await createTestApp();
  const smtp = smtpTestServer(await freePort());
  // Back-off from 1 s (1–2 s, then 2–4 s, …) so the test runs in seconds.
  const worker = await startOutboxWorker({ db, jobs, live, retryDelaySeconds: 1 });
  afterAll(async () => { await worker.stop(); await smtp.close(); });

  it('retries with back-off while SMTP is down and then delivers each message exactly once', async () => {
    const practice = await createPractice(db, 'Harbor Counseling');
    const admin = await signedIn(app, practice.users.admin);
    const clinician = await signedIn(app, practice.users.clinician);
    expect((await admin.put('/api/practice/messaging', {
      emailEnabled: true, smtpHost: '127.0.0.1', smtpPort: smtp.port, smtpSecure: false, smtpUser: null, emailFrom: 'office@harbor.example.test',
      textProvider: 'development', twilioAccountSid: null, twilioFrom: null, twilioApiBaseUrl: null, quietHours: { start: '00:00', end: '00:00' },
    })).statusCode).toBe(200);
    const client = await createClient(db, practice, { name: 'Jordan Reyes' });
    await db.updateTable('clients').set({ email: 'jordan.reyes@example.test' }).where('id', '=', client.id).execute();
    await db.insertInto('channel_consents').values({
      practice_id: practice.practiceId, client_id: client.id, channel: 'email', consent: 'given', decided_on: '2026-01-02',
      quiet_hours_start: null, quiet_hours_end: null, may_leave_message: false,
    }).execute();

    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of ids) expect((await clinician.post(`/api/clients/${client.id}/messages`, { id, channel: 'email', template: 'check_in' })).statusCode).toBe(201);
    const attempts = () => db.selectFrom('messages').select(['id', 'status', 'attempts']).where('client_id', '=', client.id).execute();
    // The worker tries each while nothing listens on the port.
    await eventually(async () => (await attempts()).every((m) => m.attempts >= 1 && m.status === 'queued'), 15_000);
    await smtp.listen();
    await eventually(async () => (await attempts()).every((m) => m.status === 'sent'), 30_000);
    for (const id of ids) expect(smtp.mails.filter((m) => m.messageId === `<${id}@harbor.example.test>`), id).toHaveLength(1);
    expect(smtp.mails).toHaveLength(3);
    expect(smtp.mails.every((m) => m.to === 'jordan.reyes@example.test')).toBe(true);
  }, 60_000);

  it("tells the sender's browser live when a message moves on (ids and status only)", async () => {
    const practice = await createPractice(db, 'Harbor Counseling');
    const clinician = await signedIn(app, practice.users.clinician);
    const client = await createClient(db, practice, { name: 'Sam Whitfield' });
    await db.updateTable('clients').set({ phone: '+15105550103' }).where('id', '=', client.id).execute();
    await db.insertInto('channel_consents').values({
      practice_id: practice.practiceId, client_id: client.id, channel: 'text', consent: 'given', decided_on: '2026-01-02',
      quiet_hours_start: '00:00', quiet_hours_end: '00:00', may_leave_message: false,
    }).execute();
    const stream = await openLiveStream(await listen(app), clinician);
    const id = randomUUID();
    expect((await clinician.post(`/api/clients/${client.id}/messages`, { id, channel: 'text', template: 'check_in' })).statusCode).toBe(201);
    const event = await stream.next('message.updated', (d) => d.messageId === id, 15_000);
    expect(event.data).toEqual({ messageId: id, clientId: client.id, status: 'delivered' });
    stream.close();
  }, 30_000);
});
