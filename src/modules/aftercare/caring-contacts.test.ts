import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { localTimeToInstant } from '../../domain/zoned-time.ts';
import { createTestApp, signedIn } from '../../../test/support/app.ts';
import { createClient, createPractice } from '../../../test/support/fixtures.ts';
import { CARING_CONTACT_QUEUE, sendCaringContact } from './caring-contacts.service.ts';

const { app, db, jobs } = await createTestApp();
const TZ = 'America/Los_Angeles';
const clockAt = (iso: string | Date) => ({ now: () => new Date(iso) });

async function setUp(consent: { text?: 'given' | 'refused'; email?: 'given' | 'refused' } = { text: 'given' }) {
  const practice = await createPractice(db);
  const client = await createClient(db, practice, { name: 'Sam Rivera' });
  await db.updateTable('clients').set({ phone: '+15105550142', email: 'sam.rivera@example.test' }).where('id', '=', client.id).execute();
  for (const [channel, given] of Object.entries(consent)) {
    await db.insertInto('channel_consents').values({
      practice_id: practice.practiceId, client_id: client.id, channel: channel as 'text' | 'email', consent: given, decided_on: '2026-11-01',
      quiet_hours_start: null, quiet_hours_end: null, may_leave_message: false,
    }).execute();
  }
  await db.updateTable('users').set({ name: 'Dr. Mei Lin' }).where('id', '=', practice.users.clinician.id).execute();
  const clinician = await signedIn(app, practice.users.clinician);
  return { practice, client, clinician };
}

const counts = async (clientId: string) => ({
  series: (await db.selectFrom('caring_contact_series').select('id').where('client_id', '=', clientId).execute()).length,
  contacts: (await db.selectFrom('caring_contacts').select('id').where('client_id', '=', clientId).execute()).length,
  messages: (await db.selectFrom('messages').select('id').where('client_id', '=', clientId).execute()).length,
});

describe('caring contacts', () => {
  it('First, Dr. Lin starts a series by text: 24 contacts on the Motto cadence, each with a job at 10:00 on its day', async () => {
    const { practice, client, clinician } = await setUp();
    const res = await clinician.post(`/api/clients/${client.id}/caring-contacts`, { channel: 'text', startsOn: '2026-12-01' });
    expect(res.statusCode, res.body).toBe(201);
    const series = res.json();
    expect(series).toMatchObject({ channel: 'text', status: 'active', startsOn: '2026-12-01', count: 24, clinician: { name: 'Dr. Mei Lin' } });
    expect(series.contacts.map((c: { dueOn: string }) => c.dueOn).slice(0, 6)).toEqual(['2026-12-01', '2027-01-01', '2027-02-01', '2027-03-01', '2027-05-01', '2027-07-01']);
    const first = series.contacts[0];
    expect(first.body).toMatch(/^Hi Sam, .*Dr\. Mei Lin/);
    expect(first.body).toMatch(/No need to reply/);
    expect(first.sendAt).toBe(localTimeToInstant('2026-12-01', '10:00', TZ).toISOString());
    const queued = await db.selectFrom('pgboss.job' as never).select(['singleton_key' as never, 'start_after' as never])
      .where('name' as never, '=', CARING_CONTACT_QUEUE as never).where('singleton_key' as never, '=', `caring-contact:${first.id}` as never).execute() as unknown as { start_after: Date }[];
    expect(queued).toHaveLength(1);
    expect(queued[0]!.start_after.toISOString()).toBe(first.sendAt);
    const audited = await db.selectFrom('audit_events').select(['action', 'detail']).where('practice_id', '=', practice.practiceId)
      .where('resource_id', '=', series.id).execute();
    expect(audited.map((a) => a.action)).toEqual(['client.caring_contacts.manage']);

    // One active series per client; nothing more is written.
    const again = await clinician.post(`/api/clients/${client.id}/caring-contacts`, { channel: 'text' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('CARING_CONTACTS_ACTIVE');
    expect(await counts(client.id)).toEqual({ series: 1, contacts: 24, messages: 0 });
  });

  it('each contact can be edited before it goes; the job sends the edited text through the outbox at its time, once', async () => {
    const { practice, client, clinician } = await setUp();
    const series = (await clinician.post(`/api/clients/${client.id}/caring-contacts`, { channel: 'text', startsOn: '2026-12-01', count: 3 })).json();
    const first = series.contacts[0];
    const edited = await clinician.request('PATCH', `/api/caring-contacts/${first.id}`, { body: 'Hi Sam, Mei here. Thinking of you this winter. No need to reply.' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ body: 'Hi Sam, Mei here. Thinking of you this winter. No need to reply.', editedBy: practice.users.clinician.id });

    // Words that would tell a reader why the practice writes are refused; nothing changes.
    const clinical = await clinician.request('PATCH', `/api/caring-contacts/${first.id}`, { body: 'Hope the therapy is helping after the crisis.' });
    expect(clinical.statusCode).toBe(422);
    expect(clinical.json().code).toBe('MESSAGE_HAS_CLINICAL_DETAIL');
    const blank = await clinician.request('PATCH', `/api/caring-contacts/${first.id}`, { body: '   ' });
    expect(blank.statusCode).toBe(400);

    const deps = { db, jobs };
    const job = { practiceId: practice.practiceId, contactId: first.id };
    // The day before, at 10:00, nothing goes.
    expect(await sendCaringContact(deps, job, clockAt('2026-11-30T18:00:00Z'))).toBe('not_due');
    // 10:00 in Oakland on 1 Dec is 18:00 UTC.
    expect(await sendCaringContact(deps, job, clockAt('2026-12-01T18:00:00Z'))).toBe('sent');
    expect(await sendCaringContact(deps, job, clockAt('2026-12-01T18:05:00Z'))).toBe('skipped'); // a repeated job does nothing
    const message = await db.selectFrom('messages').selectAll().where('client_id', '=', client.id).executeTakeFirstOrThrow();
    expect(message).toMatchObject({ purpose: 'caring_contact', channel: 'text', body: 'Hi Sam, Mei here. Thinking of you this winter. No need to reply.', caring_contact_id: first.id, idempotency_key: `caring:${first.id}`, to_address: '+15105550142' });
    const after = (await clinician.get(`/api/clients/${client.id}/caring-contacts`)).json().series[0];
    expect(after.contacts[0]).toMatchObject({ status: 'sent', messageId: message.id });
    expect(after.contacts[1].status).toBe('scheduled');

    // Once sent, it cannot be edited.
    const late = await clinician.request('PATCH', `/api/caring-contacts/${first.id}`, { body: 'Hi Sam.' });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('CARING_CONTACT_NOT_EDITABLE');

    const sent = await db.selectFrom('audit_events').select(['action', 'outcome']).where('resource_id', '=', first.id).orderBy('seq').execute();
    expect(sent).toEqual([
      { action: 'client.caring_contacts.manage', outcome: 'success' }, // edited
      { action: 'caring_contact.send', outcome: 'success' },
    ]);
  });

  it("the client's opt-out stops the series: the next job finds no consent and cancels the rest", async () => {
    const { practice, client, clinician } = await setUp();
    const series = (await clinician.post(`/api/clients/${client.id}/caring-contacts`, { channel: 'text', startsOn: '2026-12-01', count: 4 })).json();
    const deps = { db, jobs };
    expect(await sendCaringContact(deps, { practiceId: practice.practiceId, contactId: series.contacts[0].id }, clockAt('2026-12-01T18:00:00Z'))).toBe('sent');
    // Sam texts STOP: the text consent is refused.
    await db.updateTable('channel_consents').set({ consent: 'refused' }).where('client_id', '=', client.id).where('channel', '=', 'text').execute();
    expect(await sendCaringContact(deps, { practiceId: practice.practiceId, contactId: series.contacts[1].id }, clockAt('2027-01-01T18:00:00Z'))).toBe('opted_out');
    const after = (await clinician.get(`/api/clients/${client.id}/caring-contacts`)).json().series[0];
    expect(after).toMatchObject({ status: 'stopped', stopReason: 'client_opt_out' });
    expect(after.contacts.map((c: { status: string }) => c.status)).toEqual(['sent', 'cancelled', 'cancelled', 'cancelled']);
    expect((await counts(client.id)).messages).toBe(1);
    // A new series may now start on a channel Sam still consents to, not on text.
    const refused = await clinician.post(`/api/clients/${client.id}/caring-contacts`, { channel: 'text' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('NO_CONSENT_FOR_CHANNEL');
  });

  it('the clinician stops a series: what has not gone is cancelled and its jobs do nothing', async () => {
    const { practice, client, clinician } = await setUp();
    const series = (await clinician.post(`/api/clients/${client.id}/caring-contacts`, { channel: 'text', startsOn: '2026-12-01', count: 3 })).json();
    const stopped = await clinician.post(`/api/caring-contact-series/${series.id}/stop`);
    expect(stopped.statusCode, stopped.body).toBe(200);
    expect(stopped.json()).toMatchObject({ status: 'stopped', stopReason: 'clinician' });
    expect(stopped.json().contacts.every((c: { status: string }) => c.status === 'cancelled')).toBe(true);
    expect(await sendCaringContact({ db, jobs }, { practiceId: practice.practiceId, contactId: series.contacts[0].id }, clockAt('2026-12-01T18:00:00Z'))).toBe('skipped');
    expect((await counts(client.id)).messages).toBe(0);
    const edit = await clinician.request('PATCH', `/api/caring-contacts/${series.contacts[1].id}`, { body: 'Hi Sam.' });
    expect(edit.statusCode).toBe(409);
    expect((await clinician.post(`/api/caring-contact-series/${series.id}/stop`)).json().status).toBe('stopped'); // again: no change
    // A new series may start now that none is active.
    expect((await clinician.post(`/api/clients/${client.id}/caring-contacts`, { channel: 'text', count: 1 })).statusCode).toBe(201);
  });

  it('bad input changes nothing: no consent, unknown client, out-of-range length, a stranger', async () => {
    const { practice, client, clinician } = await setUp({ text: 'given' });
    const noEmail = await clinician.post(`/api/clients/${client.id}/caring-contacts`, { channel: 'email' });
    expect(noEmail.statusCode).toBe(422);
    expect(noEmail.json().code).toBe('NO_CONSENT_FOR_CHANNEL');
    expect((await clinician.post(`/api/clients/${randomUUID()}/caring-contacts`, { channel: 'text' })).statusCode).toBe(404);
    expect((await clinician.post(`/api/clients/${client.id}/caring-contacts`, { channel: 'text', count: 61 })).statusCode).toBe(400);
    expect((await clinician.post(`/api/clients/${client.id}/caring-contacts`, { channel: 'voice' })).statusCode).toBe(400);
    const frontDesk = await signedIn(app, practice.users.front_desk);
    expect((await frontDesk.post(`/api/clients/${client.id}/caring-contacts`, { channel: 'text' })).statusCode).toBe(404);
    expect(await counts(client.id)).toEqual({ series: 0, contacts: 0, messages: 0 });
  });
});
