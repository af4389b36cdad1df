import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/server/database.ts';
import { Browser, signedIn } from './app.ts';
import type { FixturePractice } from './fixtures.ts';

/**
 * A practice with one of everything, made through the API as its people would: a client on
 * the clinician's care team with an emergency contact, a consented channel, a safety plan,
 * an appointment whose session has a step-out and an alert, an incident (its run, page, note
 * and report), a follow-up (and the notification it sent), caring contacts, an agenda item,
 * a reflection, a referral, an accounting request, a location, a policy and an invite.
 * `ids` holds the real ids by the path parameter names that name them in the OpenAPI document.
 */
export interface SeededWorld {
  practice: FixturePractice;
  client: { id: string; name: string };
  ids: Record<string, (string | number)[]>;
}

export async function seedWorld(app: FastifyInstance, db: Db, practice: FixturePractice, label = 'Seeded'): Promise<SeededWorld> {
  const [owner, clinician, supervisor, frontDesk] = await Promise.all([
    signedIn(app, practice.users.owner), signedIn(app, practice.users.clinician), signedIn(app, practice.users.supervisor), signedIn(app, practice.users.front_desk),
  ]);
  const { users } = practice;
  const made = async (browser: Browser, method: 'POST' | 'PUT' | 'PATCH', url: string, body: unknown) => {
    const res = await browser.request(method, url, body);
    if (res.statusCode >= 300) throw new Error(`seeding ${method} ${url} answered ${res.statusCode}: ${res.body}`);
    return res.body ? res.json() : {};
  };
  const name = `${label} Client ${randomUUID().slice(0, 6)}`;
  const clientId = (await made(clinician, 'POST', '/api/clients', { legalName: name, email: `client-${randomUUID().slice(0, 8)}@example.test`, phone: '+15105550142', clinicianIds: [users.clinician.id] })).id as string;
  const c = `/api/clients/${clientId}`;
  const contactId = (await made(clinician, 'POST', `${c}/emergency-contacts`, {
    name: `${label} Contact`, relationship: 'Sister', phones: ['+15105550134'], priority: 1, consentScope: 'emergency', consentGivenOn: '2026-01-15',
  })).id as string;
  await made(clinician, 'PUT', `${c}/channels/email`, { consent: 'given', decidedOn: '2026-01-15' });
  await made(clinician, 'PUT', `${c}/safety-plan`, { basedOnVersion: null, content: {
    warningSigns: ['Not sleeping'], copingStrategies: ['A walk'], distractionContacts: [], helpContacts: [],
    professionalContacts: [{ name: '988 Suicide & Crisis Lifeline', phone: '988' }], safeEnvironment: [], reasonsForLiving: ['The dog'],
  } });
  const locationId = (await made(owner, 'POST', '/api/locations', { name: `${label} Office`, address: '1 Example Way, Oakland, CA' })).location.id as string;
  const policyVersion = (await made(owner, 'POST', '/api/policy', { title: `${label} policy`, bodyMarkdown: 'We may be interrupted only for emergencies.' })).version as number;
  await made(clinician, 'POST', `${c}/policy-acknowledgements`, { version: policyVersion, acknowledgedOn: new Date().toISOString().slice(0, 10), method: 'signed_in_person' });

  const appointmentId = (await made(clinician, 'POST', '/api/appointments', { clientId, clinicianId: users.clinician.id, startsAt: '2026-11-30T17:00:00Z', minutes: 50, modality: 'telehealth' })).id as string;
  const sessionId = (await made(clinician, 'POST', `/api/appointments/${appointmentId}/session`, { clientLocation: '12 Example Street, Oakland, CA', callbackPhone: '+15105550100' })).id as string;
  const stepOut = await made(clinician, 'POST', `/api/sessions/${sessionId}/step-outs`, { reason: 'A knock at the door', toldClient: 'Back in two minutes' });
  const stepOutId = (stepOut.stepOuts as { id: string }[]).at(-1)!.id;
  const alertId = randomUUID();
  await made(frontDesk, 'POST', `/api/sessions/${sessionId}/alerts`, { id: alertId, who: `${label} caller`, message: 'A parcel needs a signature.', kind: 'facility' });

  const [incidentId, runId] = [randomUUID(), randomUUID()];
  const opened = await made(clinician, 'POST', '/api/incidents', { id: incidentId, runId, clientId, protocolKey: 'medical-emergency' });
  await made(clinician, 'POST', `/api/incidents/${incidentId}/notes`, { text: `${label} incident note` });
  await made(clinician, 'PUT', `/api/incidents/${incidentId}/report`, { basedOnVersion: 0, whatHappened: 'Seeded report.', riskLevel: 'low', riskJustification: 'Seeded.', mitigationPlan: 'Seeded.' });

  const followUpId = randomUUID();
  // made by the clinician's supervisor for the clinician, who is notified
  await made(supervisor, 'POST', `${c}/follow-ups`, { id: followUpId, title: `${label} follow-up`, dueAt: '2031-03-04T23:00:00Z', assignedTo: users.clinician.id });
  const notification = await db.selectFrom('notifications').select('id').where('practice_id', '=', practice.practiceId).executeTakeFirstOrThrow();
  const series = await made(clinician, 'POST', `${c}/caring-contacts`, { channel: 'email', startsOn: '2026-12-01', count: 2 });
  const [agendaItemId, reflectionId, referralId] = [randomUUID(), randomUUID(), randomUUID()];
  await made(clinician, 'POST', `${c}/agenda`, { id: agendaItemId, text: `${label} agenda item` });
  await made(clinician, 'POST', `${c}/reflections`, { id: reflectionId, body: `${label} reflection` });
  await made(clinician, 'POST', `${c}/referrals`, { id: referralId, toKind: 'external', toName: 'Bay Family Clinic', reason: `${label} referral` });
  const requestId = (await made(owner, 'POST', `${c}/accounting-requests`, { requestedBy: 'The client', receivedOn: '2026-01-05', receivedVia: 'in_writing' })).request.id as string;
  const token = new URL((await made(owner, 'POST', '/api/users/invites', { email: `invitee-${randomUUID()}@example.test`, name: `${label} Invitee`, role: 'clinician' })).inviteUrl).pathname.split('/').pop()!;

  return {
    practice,
    client: { id: clientId, name },
    ids: {
      practiceId: [practice.practiceId], userId: [users.supervisor.id, users.clinician.id], token: [token], clientId: [clientId], contactId: [contactId],
      channel: ['email'], id: [locationId], version: [policyVersion], appointmentId: [appointmentId], sessionId: [sessionId], stepOutId: [stepOutId],
      alertId: [alertId], protocolKey: ['client-walks-out'], incidentId: [incidentId], runId: [runId], pageId: [opened.pageId as string],
      followUpId: [followUpId], notificationId: [notification.id], seriesId: [series.id as string], caringContactId: [(series.contacts as { id: string }[])[0]!.id],
      agendaItemId: [agendaItemId], reflectionId: [reflectionId], referralId: [referralId], requestId: [requestId],
    },
  };
}
