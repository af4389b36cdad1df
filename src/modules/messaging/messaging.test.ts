import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, signedIn } from '../../../test/support/app.ts';
import { createClient, createPractice, type FixturePractice } from '../../../test/support/fixtures.ts';
import type { Clock } from '../paging/paging.service.ts';
import { decryptText, isEncrypted } from '../../server/field-crypto.ts';
import { queueMessage, sendQueuedMessage } from './outbox.ts';
import { freePort, smtpTestServer, twilioTestServer } from '../../../test/support/messaging-servers.ts';

const PUBLIC_URL = 'https://holdspace.example.test';
const TWILIO_SID = `AC${'1'.repeat(32)}`;
const TWILIO_TOKEN = 'synthetic-twilio-auth-token';
const at = (iso: string): Clock => ({ now: () => new Date(iso) });

describe('messages to clients', async () => {
  const { app, db, jobs } = await createTestApp({ HOLDSPACE_PUBLIC_URL: PUBLIC_URL });
  const smtp = smtpTestServer(await freePort());
  const twilioApi = await twilioTestServer();
  afterAll(async () => { await smtp.close(); await twilioApi.close(); });

  const practice = await createPractice(db, 'Harbor Counseling');
  const admin = await signedIn(app, practice.users.admin);
  const clinician = await signedIn(app, practice.users.clinician);
  const send = (job: { practiceId: string; messageId: string }, clock: Clock = { now: () => new Date() }, isLastTry = false) =>
    sendQueuedMessage({ db, jobs, clock, publicUrl: PUBLIC_URL }, job, isLastTry);

  let phones = 10;
  /** A synthetic client with a phone (a number of their own) and an email, and consent as given. */
  async function clientWith(p: FixturePractice, consents: Partial<Record<'voice' | 'text' | 'email', 'given' | 'refused'>>, quiet?: { start: string; end: string }) {
    const client = await createClient(db, p, { name: 'Jordan Reyes' });
    const phone = `+151055501${String(phones++).padStart(2, '0')}`;
    await db.updateTable('clients').set({ phone, email: `jordan-${client.id.slice(0, 6)}@example.test` })
      .where('practice_id', '=', p.practiceId).where('id', '=', client.id).execute();
    for (const [channel, consent] of Object.entries(consents)) {
      await db.insertInto('channel_consents').values({
        practice_id: p.practiceId, client_id: client.id, channel: channel as 'text', consent, decided_on: '2026-01-02',
        quiet_hours_start: quiet?.start ?? null, quiet_hours_end: quiet?.end ?? null, may_leave_message: false,
      }).execute();
    }
    return { ...client, phone };
  }
  const settings = (over: Record<string, unknown> = {}) => ({
    emailEnabled: true, smtpHost: '127.0.0.1', smtpPort: smtp.port, smtpSecure: false, smtpUser: null, emailFrom: 'dr.lin@harbor.example.test',
    textProvider: 'twilio', twilioAccountSid: TWILIO_SID, twilioAuthToken: TWILIO_TOKEN, twilioFrom: '+15105550100', twilioApiBaseUrl: twilioApi.url,
    // No quiet hours for the practice here, so these tests do not depend on the hour they run at.
    quietHours: { start: '00:00', end: '00:00' }, ...over,
  });
  const countRows = async (table: 'messages' | 'message_events', clientId?: string) => {
    let q = db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).where('practice_id', '=', practice.practiceId);
    if (clientId && table === 'messages') q = q.where('client_id', '=', clientId);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  const twilioPost = (path: string, params: Record<string, string>, signature = twilio.getExpectedTwilioSignature(TWILIO_TOKEN, `${PUBLIC_URL}${path}`, params)) =>
    app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, payload: new URLSearchParams(params).toString() });

  beforeAll(async () => {
    const res = await admin.put('/api/practice/messaging', settings());
    expect(res.statusCode, res.body).toBe(200);
  });

  describe('settings', () => {
    it('never returns the SMTP password or the Twilio token; an omitted secret is kept', async () => {
      const saved = await admin.put('/api/practice/messaging', settings({ smtpUser: 'mailer', smtpPassword: 'synthetic-smtp-password', twilioAuthToken: undefined }));
      expect(saved.statusCode, saved.body).toBe(200);
      const view = (await admin.get('/api/practice/messaging')).json();
      expect(view).toMatchObject({ hasSmtpPassword: true, hasTwilioAuthToken: true, textProvider: 'twilio', quietHours: { start: '00:00', end: '00:00' } });
      expect(JSON.stringify(view)).not.toContain('synthetic-smtp-password');
      expect(JSON.stringify(view)).not.toContain(TWILIO_TOKEN);
      const row = await db.selectFrom('messaging_settings').select(['smtp_password', 'twilio_auth_token']).where('practice_id', '=', practice.practiceId).executeTakeFirstOrThrow();
      // Credentials are ciphertext at rest and open with the practice's data key.
      expect(isEncrypted(row.smtp_password ?? '') && isEncrypted(row.twilio_auth_token ?? '')).toBe(true);
      expect(JSON.stringify(row)).not.toContain('synthetic-smtp-password');
      expect(JSON.stringify(row)).not.toContain(TWILIO_TOKEN);
      expect(await decryptText(db, practice.practiceId, row.smtp_password!)).toBe('synthetic-smtp-password');
      expect(await decryptText(db, practice.practiceId, row.twilio_auth_token!)).toBe(TWILIO_TOKEN);
      const audit = await db.selectFrom('audit_events').select('detail').where('practice_id', '=', practice.practiceId).where('action', '=', 'messaging.settings.manage').execute();
      expect(JSON.stringify(audit)).not.toContain('synthetic-smtp-password');
      // back to no SMTP authentication (the test server offers none)
      expect((await admin.put('/api/practice/messaging', settings({ smtpPassword: null }))).statusCode).toBe(200);
    });

    it('email turned on without a server is refused and nothing changes; clinicians may not read the settings', async () => {
      const before = await db.selectFrom('messaging_settings').selectAll().where('practice_id', '=', practice.practiceId).executeTakeFirstOrThrow();
      const res = await admin.put('/api/practice/messaging', settings({ smtpHost: null }));
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'MESSAGING_SETTINGS_INCOMPLETE', errors: [{ path: 'body.smtpHost' }] });
      expect(await db.selectFrom('messaging_settings').selectAll().where('practice_id', '=', practice.practiceId).executeTakeFirstOrThrow()).toEqual(before);
      expect((await clinician.get('/api/practice/messaging')).statusCode).toBe(403);
    });
  });

  describe('email over SMTP', () => {
    it('a real SMTP server on loopback receives the check-in: to, subject, body, Message-ID from the message id', async () => {
      await smtp.listen();
      const client = await clientWith(practice, { email: 'given' });
      const id = randomUUID();
      const res = await clinician.post(`/api/clients/${client.id}/messages`, { id, channel: 'email', template: 'check_in' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().message).toMatchObject({ id, status: 'queued', transport: 'smtp', channel: 'email' });
      // A retry of the same request answers the same message (200) and queues nothing more.
      const again = await clinician.post(`/api/clients/${client.id}/messages`, { id, channel: 'email', template: 'check_in' });
      expect(again.statusCode).toBe(200);
      expect(again.json().message.id).toBe(id);
      expect(await countRows('messages', client.id)).toBe(1);

      const result = await send({ practiceId: practice.practiceId, messageId: id });
      expect(result.outcome).toBe('sent');
      const mails = smtp.mails.filter((m) => m.messageId === `<${id}@harbor.example.test>`);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.to).toBe(`jordan-${client.id.slice(0, 6)}@example.test`);
      expect(mails[0]!.subject).toMatch(/^A note from Harbor Counseling/);
      expect(mails[0]!.body).toContain('Hi Jordan,');
      expect(mails[0]!.body).toContain('This is Test clinician from Harbor Counseling');
      const listed = (await clinician.get(`/api/clients/${client.id}/messages`)).json().messages;
      expect(listed).toMatchObject([{ id, status: 'sent', attempts: 1, sentAt: expect.any(String) }]);
      // Sending again (a redelivered job) sends nothing.
      expect((await send({ practiceId: practice.practiceId, messageId: id })).outcome).toBe('skipped');
      expect(smtp.mails.filter((m) => m.messageId === `<${id}@harbor.example.test>`)).toHaveLength(1);
    });

    it('with SMTP down the send fails and is retried; once it is back each message is delivered exactly once', async () => {
      await smtp.close();
      const client = await clientWith(practice, { email: 'given' });
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      for (const id of ids) expect((await clinician.post(`/api/clients/${client.id}/messages`, { id, channel: 'email', template: 'check_in' })).statusCode).toBe(201);
      for (const id of ids) {
        const r = await send({ practiceId: practice.practiceId, messageId: id });
        expect(r.outcome).toBe('retry');
      }
      const failedOnce = await db.selectFrom('messages').select(['status', 'attempts', 'last_error']).where('client_id', '=', client.id).execute();
      expect(failedOnce.every((m) => m.status === 'queued' && m.attempts === 1 && /ECONNREFUSED|connect/i.test(m.last_error ?? ''))).toBe(true);
      await smtp.listen();
      // Every job runs again, some twice (a redelivery): each message still goes once.
      for (const id of [...ids, ...ids]) await send({ practiceId: practice.practiceId, messageId: id });
      for (const id of ids) expect(smtp.mails.filter((m) => m.messageId === `<${id}@harbor.example.test>`), id).toHaveLength(1);
      const events = await db.selectFrom('message_events').select(['message_id', 'status']).where('message_id', 'in', ids).orderBy('seq').execute();
      for (const id of ids) expect(events.filter((e) => e.message_id === id).map((e) => e.status)).toEqual(['queued', 'attempt_failed', 'sent']);
    });

    it('after the last retry the message is failed', async () => {
      await smtp.close();
      const client = await clientWith(practice, { email: 'given' });
      const id = randomUUID();
      await clinician.post(`/api/clients/${client.id}/messages`, { id, channel: 'email', template: 'check_in' });
      const r = await send({ practiceId: practice.practiceId, messageId: id }, undefined, true);
      expect(r.outcome).toBe('failed');
      expect((await db.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('failed');
      await smtp.listen();
    });
  });

  describe('texts through the Twilio adapter', () => {
    it('posts the form with Basic auth and the idempotency token; a signed status callback updates the status, a forged one changes nothing', async () => {
      const client = await clientWith(practice, { text: 'given' });
      const id = randomUUID();
      expect((await clinician.post(`/api/clients/${client.id}/messages`, { id, channel: 'text', template: 'check_in' })).statusCode).toBe(201);
      const r = await send({ practiceId: practice.practiceId, messageId: id });
      expect(r.outcome).toBe('sent');
      const req = twilioApi.requests.find((q) => q.idempotencyToken === id)!;
      expect(req.path).toBe(`/2010-04-01/Accounts/${TWILIO_SID}/Messages.json`);
      expect(req.contentType).toContain('application/x-www-form-urlencoded');
      expect(req.authorization).toBe(`Basic ${Buffer.from(`${TWILIO_SID}:${TWILIO_TOKEN}`).toString('base64')}`);
      expect(req.form).toEqual({
        To: client.phone, From: '+15105550100', Body: expect.stringMatching(/^Hi Jordan, this is Test clinician from Harbor Counseling/),
        StatusCallback: `${PUBLIC_URL}/api/webhooks/twilio/${practice.practiceId}/status`,
      });
      const sid = (await db.selectFrom('messages').select('provider_message_id').where('id', '=', id).executeTakeFirstOrThrow()).provider_message_id!;
      const path = `/api/webhooks/twilio/${practice.practiceId}/status`;
      const params = { MessageSid: sid, MessageStatus: 'delivered', AccountSid: TWILIO_SID, To: client.phone };

      const eventsBefore = await countRows('message_events');
      const forged = await twilioPost(path, params, 'bm90IGEgc2lnbmF0dXJl');
      expect(forged.statusCode).toBe(403);
      expect(forged.json().code).toBe('WEBHOOK_SIGNATURE_INVALID');
      const tampered = await twilioPost(path, { ...params, MessageStatus: 'failed' }, twilio.getExpectedTwilioSignature(TWILIO_TOKEN, `${PUBLIC_URL}${path}`, params));
      expect(tampered.statusCode).toBe(403);
      expect((await db.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('sent');
      expect(await countRows('message_events')).toBe(eventsBefore);

      const ok = await twilioPost(path, params);
      expect(ok.statusCode, ok.body).toBe(204);
      expect((await db.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('delivered');
      // A late "sent" does not move it back.
      expect((await twilioPost(path, { ...params, MessageStatus: 'sent' })).statusCode).toBe(204);
      expect((await db.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('delivered');
      const events = await db.selectFrom('message_events').select('status').where('message_id', '=', id).orderBy('seq').execute();
      expect(events.map((e) => e.status)).toEqual(['queued', 'sent', 'delivered', 'sent']);
    });

    it('an inbound STOP opts the client out: consent refused, queued texts cancelled, caring contacts stopped, new texts refused; START opts back in', async () => {
      const client = await clientWith(practice, { text: 'given', email: 'given' });
      const queued = randomUUID();
      expect((await clinician.post(`/api/clients/${client.id}/messages`, { id: queued, channel: 'text', template: 'check_in' })).statusCode).toBe(201);
      const seriesId = randomUUID();
      await db.insertInto('caring_contact_series').values({
        practice_id: practice.practiceId, id: seriesId, client_id: client.id, clinician_id: practice.users.clinician.id, channel: 'text',
        starts_on: '2026-02-01', contact_count: 4, stopped_at: null, stopped_by: null, stop_reason: null, created_by: practice.users.clinician.id,
      }).execute();
      const path = `/api/webhooks/twilio/${practice.practiceId}/inbound`;
      const stop = { MessageSid: `SM${'9'.repeat(32)}`, From: client.phone, To: '+15105550100', Body: ' Stop ', AccountSid: TWILIO_SID };

      const forged = await twilioPost(path, stop, 'forged');
      expect(forged.statusCode).toBe(403);
      expect((await db.selectFrom('channel_consents').select('consent').where('client_id', '=', client.id).where('channel', '=', 'text').executeTakeFirstOrThrow()).consent).toBe('given');

      const res = await twilioPost(path, stop);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('text/xml');
      expect(res.body).toContain('<Response/>');
      expect((await db.selectFrom('channel_consents').select('consent').where('client_id', '=', client.id).where('channel', '=', 'text').executeTakeFirstOrThrow()).consent).toBe('refused');
      expect((await db.selectFrom('messages').select('status').where('id', '=', queued).executeTakeFirstOrThrow()).status).toBe('cancelled');
      expect(await db.selectFrom('caring_contact_series').select(['status', 'stop_reason']).where('id', '=', seriesId).executeTakeFirstOrThrow()).toEqual({ status: 'stopped', stop_reason: 'client_opt_out' });
      expect((await db.selectFrom('inbound_messages').select('action').where('provider_message_id', '=', stop.MessageSid).executeTakeFirstOrThrow()).action).toBe('opt_out');
      // The job that was queued before the STOP finds it cancelled and sends nothing.
      const sentBefore = twilioApi.requests.length;
      expect((await send({ practiceId: practice.practiceId, messageId: queued })).outcome).toBe('skipped');
      expect(twilioApi.requests.length).toBe(sentBefore);

      const refused = await clinician.post(`/api/clients/${client.id}/messages`, { id: randomUUID(), channel: 'text', template: 'check_in' });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().code).toBe('NO_CONSENT_FOR_CHANNEL');
      // Email is a different channel: still allowed.
      expect((await clinician.post(`/api/clients/${client.id}/messages`, { id: randomUUID(), channel: 'email', template: 'check_in' })).statusCode).toBe(201);
      const opts = await db.selectFrom('audit_events').select(['action', 'client_id']).where('practice_id', '=', practice.practiceId).where('action', '=', 'client.channel.opt_out').execute();
      expect(opts).toEqual([{ action: 'client.channel.opt_out', client_id: client.id }]);

      const start = await twilioPost(path, { ...stop, MessageSid: `SM${'8'.repeat(32)}`, Body: 'START' });
      expect(start.statusCode).toBe(200);
      expect((await db.selectFrom('channel_consents').select('consent').where('client_id', '=', client.id).where('channel', '=', 'text').executeTakeFirstOrThrow()).consent).toBe('given');
      expect((await clinician.post(`/api/clients/${client.id}/messages`, { id: randomUUID(), channel: 'text', template: 'check_in' })).statusCode).toBe(201);
    });

    it('a consent withdrawn after queueing cancels the message at send time', async () => {
      const client = await clientWith(practice, { text: 'given' });
      const id = randomUUID();
      await clinician.post(`/api/clients/${client.id}/messages`, { id, channel: 'text', template: 'check_in' });
      await db.updateTable('channel_consents').set({ consent: 'refused' }).where('client_id', '=', client.id).execute();
      expect((await send({ practiceId: practice.practiceId, messageId: id })).outcome).toBe('cancelled');
      expect((await db.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('cancelled');
    });
  });

  describe('quiet hours (a practice on the defaults: development transport, 21:00–08:00 Los Angeles)', async () => {
    const quiet = await createPractice(db, 'Quiet Practice');
    const queue = (clientId: string, channel: 'text' | 'email', now: string) => db.transaction().execute((trx) => queueMessage(trx, jobs, {
      practiceId: quiet.practiceId, clientId, channel, purpose: 'check_in', template: 'check_in', idempotencyKey: `test:${randomUUID()}`,
      createdBy: quiet.users.clinician.id, now: new Date(now),
    }));

    it('S4: a check-in at 6 pm goes at 6 pm', async () => {
      const client = await clientWith(quiet, { text: 'given' });
      const { message, heldForQuietHours } = await queue(client.id, 'text', '2026-01-16T02:00:00Z'); // 18:00 PST
      expect(heldForQuietHours).toBe(false);
      expect(message.send_after.toISOString()).toBe('2026-01-16T02:00:00.000Z');
      expect(message.transport).toBe('development');
      expect((await send({ practiceId: quiet.practiceId, messageId: message.id }, at('2026-01-16T02:00:05Z'))).outcome).toBe('delivered');
    });

    it('a message at 10 pm is held until 8 am and goes then, not before', async () => {
      const client = await clientWith(quiet, { email: 'given' });
      const { message, heldForQuietHours } = await queue(client.id, 'email', '2026-01-16T06:00:00Z'); // 22:00 PST
      expect(heldForQuietHours).toBe(true);
      expect(message.send_after.toISOString()).toBe('2026-01-16T16:00:00.000Z'); // 08:00 PST
      expect((await send({ practiceId: quiet.practiceId, messageId: message.id }, at('2026-01-16T15:00:00Z'))).outcome).toBe('rescheduled');
      expect((await db.selectFrom('messages').select('status').where('id', '=', message.id).executeTakeFirstOrThrow()).status).toBe('queued');
      expect((await send({ practiceId: quiet.practiceId, messageId: message.id }, at('2026-01-16T16:00:01Z'))).outcome).toBe('delivered');
    });

    it("the client's own quiet hours on the channel come first", async () => {
      const client = await clientWith(quiet, { text: 'given' }, { start: '17:00', end: '10:00' });
      const { message, heldForQuietHours } = await queue(client.id, 'text', '2026-01-16T02:00:00Z'); // 18:00 PST
      expect(heldForQuietHours).toBe(true);
      expect(message.send_after.toISOString()).toBe('2026-01-16T18:00:00.000Z'); // 10:00 PST
    });

    it('the outbox page shows the development transport’s messages to admins only', async () => {
      const quietAdmin = await signedIn(app, quiet.users.admin);
      const res = await quietAdmin.get('/api/messaging/outbox');
      expect(res.statusCode).toBe(200);
      const messages = res.json().messages as { transport: string; status: string; clientName: string; body: string }[];
      expect(messages.length).toBeGreaterThanOrEqual(3);
      expect(messages.some((m) => m.transport === 'development' && m.status === 'delivered' && m.clientName === 'Jordan Reyes')).toBe(true);
      expect((await (await signedIn(app, quiet.users.clinician)).get('/api/messaging/outbox')).statusCode).toBe(403);
    });
  });

  describe('bad input changes nothing', () => {
    it('no consent on the channel → 422 NO_CONSENT_FOR_CHANNEL and no row; voice consent does not count for texts', async () => {
      const client = await clientWith(practice, { voice: 'given', email: 'refused' });
      for (const channel of ['text', 'email']) {
        const res = await clinician.post(`/api/clients/${client.id}/messages`, { id: randomUUID(), channel, template: 'check_in' });
        expect(res.statusCode, channel).toBe(422);
        expect(res.json().code).toBe('NO_CONSENT_FOR_CHANNEL');
      }
      expect(await countRows('messages', client.id)).toBe(0);
      const preview = await clinician.post(`/api/clients/${client.id}/messages/preview`, { channel: 'text', template: 'check_in' });
      expect(preview.statusCode).toBe(200);
      expect(preview.json()).toMatchObject({ blockedBy: { code: 'NO_CONSENT_FOR_CHANNEL' }, body: expect.stringContaining('Hi Jordan') });
    });

    it('no address → 422 NO_ADDRESS_FOR_CHANNEL; texts turned off → 422 CHANNEL_NOT_CONFIGURED', async () => {
      const client = await clientWith(practice, { text: 'given', email: 'given' });
      await db.updateTable('clients').set({ email: null }).where('id', '=', client.id).execute();
      const noEmail = await clinician.post(`/api/clients/${client.id}/messages`, { id: randomUUID(), channel: 'email', template: 'check_in' });
      expect([noEmail.statusCode, noEmail.json().code]).toEqual([422, 'NO_ADDRESS_FOR_CHANNEL']);
      await admin.put('/api/practice/messaging', settings({ textProvider: 'none' }));
      const off = await clinician.post(`/api/clients/${client.id}/messages`, { id: randomUUID(), channel: 'text', template: 'check_in' });
      expect([off.statusCode, off.json().code]).toEqual([422, 'CHANNEL_NOT_CONFIGURED']);
      await admin.put('/api/practice/messaging', settings());
      expect(await countRows('messages', client.id)).toBe(0);
    });

    it('an unknown client → 404; a client off the care team → 404; an unknown template → 400', async () => {
      const messagesBefore = await countRows('messages');
      expect((await clinician.post(`/api/clients/${randomUUID()}/messages`, { id: randomUUID(), channel: 'text', template: 'check_in' })).statusCode).toBe(404);
      const offTeam = await createClient(db, practice, { clinicianIds: [] });
      expect((await clinician.get(`/api/clients/${offTeam.id}/messages`)).statusCode).toBe(404);
      const client = await clientWith(practice, { text: 'given' });
      expect((await clinician.post(`/api/clients/${client.id}/messages`, { id: randomUUID(), channel: 'text', template: 'your_diagnosis' })).statusCode).toBe(400);
      expect((await clinician.post(`/api/clients/${client.id}/messages`, { id: 'not-a-uuid', channel: 'text', template: 'check_in' })).statusCode).toBe(400);
      expect(await countRows('messages')).toBe(messagesBefore);
    });

    it('a webhook for a practice without Twilio is refused', async () => {
      const other = await createPractice(db, 'No Twilio');
      const res = await app.inject({ method: 'POST', url: `/api/webhooks/twilio/${other.practiceId}/inbound`, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' }, payload: 'Body=STOP&From=%2B15105550142' });
      expect(res.statusCode).toBe(403);
      expect(await db.selectFrom('inbound_messages').select('id').where('practice_id', '=', other.practiceId).execute()).toEqual([]);
    });
  });

  it('the outbox page needs a session', async () => {
    expect((await new Browser(app).get('/api/messaging/outbox')).statusCode).toBe(401);
  });
});
