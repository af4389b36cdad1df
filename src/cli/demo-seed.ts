import { randomUUID } from 'node:crypto';
import type { Db } from '../server/database.ts';
import type { Role } from '../domain/permissions.ts';
import { localDate, localTimeToInstant } from '../domain/zoned-time.ts';
import { appendAuditEvent } from '../modules/audit/audit.repository.ts';
import { insertUser, replaceSupervisees } from '../modules/auth/auth.repository.ts';
import { hashPassword, type AuthContext } from '../modules/auth/auth.service.ts';
import { setupPractice } from '../modules/practices/practices.service.ts';
import * as clients from '../modules/clients/clients.service.ts';
import { createLocation } from '../modules/locations/locations.service.ts';
import { publishPolicy, recordAcknowledgement } from '../modules/policies/policies.service.ts';
import { saveSafetyPlan } from '../modules/safety-plans/safety-plans.service.ts';
import { bookAppointment } from '../modules/schedule/schedule.service.ts';
import { savePolicy } from '../modules/paging/paging.service.ts';
import { DEMO_CLIENTS, demoSafetyPlan } from './demo-clients.ts';

/** Everyone in the demo practice is invented; they share one demo password. */
export const DEMO_PASSWORD = 'holdspace demo passphrase';
export const DEMO_TIME_ZONE = 'America/Los_Angeles';

export const DEMO_PEOPLE: { key: string; name: string; email: string; role: Role }[] = [
  { key: 'owner', name: 'Olivia Ortega', email: 'owner@demo.holdspace.test', role: 'owner' },
  { key: 'admin', name: 'Priya Admin', email: 'admin@demo.holdspace.test', role: 'admin' },
  { key: 'amara', name: 'Dr. Amara Singh', email: 'amara.singh@demo.holdspace.test', role: 'supervisor' },
  { key: 'mei', name: 'Dr. Mei Lin', email: 'mei.lin@demo.holdspace.test', role: 'clinician' },
  { key: 'sam', name: 'Dr. Sam Patel', email: 'sam.patel@demo.holdspace.test', role: 'clinician' },
  { key: 'noor', name: 'Dr. Noor Haddad', email: 'noor.haddad@demo.holdspace.test', role: 'clinician' },
  { key: 'desk', name: 'Jamie Front', email: 'frontdesk@demo.holdspace.test', role: 'front_desk' },
];

const POLICY_V1 = `## When a session may be interrupted

Sessions are protected time. Your clinician keeps their phone silent and does not
take calls, except in an emergency.

## If your clinician must step out

Your clinician will tell you why in a sentence, keep your records out of sight, and
come back as soon as they can. The time is not charged.`;

const POLICY_V2 = `${POLICY_V1}

## If your clinician expects an urgent call

Sometimes a clinician has a family member in hospital. They will tell you at the start
of the session that a call may come, so that an interruption is never about you.

## In a crisis between sessions

Call or text **988**, or call **911** in an emergency. Your safety plan lists the people
and places to reach.`;

/** Seeds the synthetic practice of SCENARIOS.md into an empty database. */
export async function seedDemoPractice(db: Db, now = new Date()): Promise<{ practiceId: string }> {
  const [owner, ...rest] = DEMO_PEOPLE;
  const meta = { ip: null, userAgent: 'holdspace demo' };
  const { practiceId, userId: ownerId } = await setupPractice(db, {
    practiceName: 'Harbor Counseling (demo)', timeZone: DEMO_TIME_ZONE, ownerName: owner!.name, email: owner!.email, password: DEMO_PASSWORD,
  }, meta);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ids = new Map<string, string>([['owner', ownerId]]);
  for (const person of rest) {
    const id = randomUUID();
    ids.set(person.key, id);
    await insertUser(db, { practiceId, id, email: person.email, name: person.name, role: person.role, passwordHash });
  }
  await replaceSupervisees(db, practiceId, ids.get('amara')!, ['mei', 'sam', 'noor'].map((k) => ids.get(k)!));
  const as = (key: string): AuthContext => {
    const person = DEMO_PEOPLE.find((p) => p.key === key)!;
    const userId = ids.get(key)!;
    return {
      tokenHash: 'demo-seed', csrfToken: 'demo-seed', mustEnrollTotp: false, supervisees: [],
      actor: { userId, practiceId, role: person.role, superviseeIds: key === 'amara' ? ['mei', 'sam', 'noor'].map((k) => ids.get(k)!) : [] },
      user: { id: userId, name: person.name, email: person.email, role: person.role, totpEnabled: false },
      practice: { id: practiceId, name: 'Harbor Counseling (demo)', timeZone: DEMO_TIME_ZONE, requireTotp: false },
    };
  };

  const office = await createLocation(db, as('owner'), {
    name: 'Oakland office', address: '100 Example Avenue, Suite 200, Oakland, CA 94612',
    mobileCrisisName: 'County mobile crisis team (demo)', mobileCrisisPhone: '+15105550190',
    emergencyDepartmentName: 'Example General Hospital', emergencyDepartmentAddress: '1 Example Plaza, Oakland, CA 94609', emergencyDepartmentPhone: '+15105550191',
  }, meta);
  await publishPolicy(db, as('owner'), { title: 'Emergency and interruption policy', bodyMarkdown: POLICY_V1 }, meta);
  // Paging: Dr. Singh first, then Dr. Haddad on call, then the owner; twice round.
  await savePolicy(db, as('owner'), {
    levels: [{ target: 'supervisor', waitMinutes: 2 }, { target: 'on_call', waitMinutes: 3 }, { target: 'owner', waitMinutes: 5 }],
    rounds: 2, onCallUserIds: [ids.get('noor')!],
  }, null);

  const today = localDate(now, DEMO_TIME_ZONE);
  const clientIds: string[] = [];
  for (const c of DEMO_CLIENTS) {
    const clinician = as(c.clinician);
    const { id } = await clients.createClient(db, clinician, {
      legalName: c.legalName, preferredName: c.preferredName ?? null, pronouns: c.pronouns, phone: c.phone, email: c.email ?? null, address: c.address ?? null,
    }, meta);
    clientIds.push(id);
    if (c.contact) {
      await clients.addEmergencyContact(db, clinician, id, {
        name: c.contact.name, relationship: c.contact.relationship, phones: [c.contact.phone], priority: 1, mayBeTold: c.contact.mayBeTold,
        consentScope: c.contact.consent, consentGivenOn: c.contact.consent === 'none' ? null : today,
      }, meta);
    }
    for (const ch of c.channels ?? []) {
      await clients.setChannelConsent(db, clinician, id, ch.channel, { consent: 'given', decidedOn: today, quietHours: ch.quietHours ?? null, mayLeaveMessage: ch.channel !== 'email' }, meta);
    }
    if (c.risk) await clients.recordClinicalRisk(db, clinician, id, c.risk, meta);
    if (c.safetyPlan) await saveSafetyPlan(db, clinician, id, { content: demoSafetyPlan(c), basedOnVersion: null }, meta);
    if (c.acknowledged) await recordAcknowledgement(db, clinician, id, { version: 1, acknowledgedOn: today, method: 'signed_in_person' }, meta);
  }
  // The policy changed this week: clients who have not yet signed version 2 show as outdated.
  await publishPolicy(db, as('owner'), { title: 'Emergency and interruption policy', bodyMarkdown: POLICY_V2 }, meta);
  for (const [i, c] of DEMO_CLIENTS.entries()) {
    if (c.acknowledged === 2) await recordAcknowledgement(db, as(c.clinician), clientIds[i]!, { version: 2, acknowledgedOn: today, method: 'signed_in_person' }, meta);
  }

  // Today's sessions and the same slot next week; everyone else the day after that, one an hour.
  const nextFreeHour = new Map<string, number>();
  for (const [i, c] of DEMO_CLIENTS.entries()) {
    const clinicianId = ids.get(c.clinician)!;
    const booking = (date: string, time: string, modality: 'in_person' | 'telehealth') => bookAppointment(db, as('desk'), {
      clientId: clientIds[i]!, clinicianId, startsAt: localTimeToInstant(date, time, DEMO_TIME_ZONE).toISOString(), minutes: 50, modality,
      locationId: modality === 'in_person' ? office.id : null,
    }, null);
    if (c.today) {
      await booking(today, c.today.time, c.today.modality);
      await booking(addDays(today, 7), c.today.time, c.today.modality);
    } else {
      const hour = nextFreeHour.get(c.clinician) ?? 9;
      nextFreeHour.set(c.clinician, hour + 1);
      await booking(addDays(today, 8), `${String(hour).padStart(2, '0')}:00`, 'in_person');
    }
  }
  await appendAuditEvent(db, {
    practiceId, actorUserId: null, actorRole: null, action: 'demo.seed', resourceType: 'practice', resourceId: practiceId,
    ip: null, outcome: 'success', detail: { people: DEMO_PEOPLE.length, clients: DEMO_CLIENTS.length },
  });
  return { practiceId };
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
