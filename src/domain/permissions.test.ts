import { describe, expect, it } from 'vitest';
import { ACTIONS, allowedActions, can, mayAttempt, ROLES, type Action, type Actor, type Role } from './permissions.ts';

const ALL: Role[] = ['owner', 'admin', 'clinician', 'supervisor', 'front_desk'];
const CLINICAL: Role[] = ['clinician', 'supervisor'];

// Who may attempt each action (before the resource is known), written out: a change
// to who may do what must change this table.
const MAY_ATTEMPT: Record<Action, Role[]> = {
  'me.read': ALL,
  'me.totp.enroll': ALL,
  'me.page_phone': ALL,
  'auth.sign_out': ALL,
  'users.list': ['owner', 'admin'],
  'users.invite': ['owner', 'admin'],
  'users.supervisees.update': ['owner', 'admin'],
  'practice.security.update': ['owner'],
  'audit.browse': ['owner', 'admin'],
  'audit.verify': ['owner', 'admin'],
  'clients.directory': ALL,
  'clients.create': ['owner', 'admin', 'clinician', 'supervisor'],
  'client.read': CLINICAL,
  'client.update': CLINICAL,
  'client.archive': ['owner', 'admin', 'clinician', 'supervisor'],
  'client.assign': ['owner', 'admin', 'supervisor'],
  'client.safety_plan.write': CLINICAL,
  'client.risk.record': CLINICAL,
  'policy.read': ALL,
  'policy.publish': ['owner', 'admin'],
  'locations.read': ALL,
  'locations.manage': ['owner', 'admin'],
  'schedule.read': ALL,
  'appointments.book': ALL,
  'session.run': CLINICAL,
  'protocols.read': ['owner', 'admin', 'clinician', 'supervisor'],
  'protocols.configure': ['owner', 'admin'],
  'escalation.read': ['owner', 'admin', 'clinician', 'supervisor'],
  'escalation.manage': ['owner', 'admin'],
  'incident.open': CLINICAL,
  'incident.act': CLINICAL,
  // anyone may have been paged (the owner is the last level): decided on the incident
  'incident.read': ALL,
  'incident.note': ALL,
  'incidents.list': ALL,
  'pages.acknowledge': ALL,
  'pages.read': ALL,
  'live.subscribe': ALL,
  // whoever an escalation policy can page: the requester's supervisors, on call, the owners
  'pager.standby': ['owner', 'clinician', 'supervisor'],
  'client.disclosures.read': CLINICAL,
  'follow_ups.read': CLINICAL,
  'follow_up.complete': CLINICAL,
  'follow_up.create': CLINICAL,
  'follow_up.attempt': CLINICAL,
  'follow_up.update': CLINICAL,
  'follow_ups.team': ['supervisor'],
  'follow_ups.settings': ['owner', 'admin'],
  'notifications.read': ALL,
  'messaging.settings.read': ['owner', 'admin'],
  'messaging.settings.manage': ['owner', 'admin'],
  'outbox.read': ['owner', 'admin'],
  'client.messages.read': CLINICAL,
  'client.message.send': CLINICAL,
  'client.caring_contacts.manage': CLINICAL,
  'client.agenda.manage': CLINICAL,
  'client.aftercare.write': CLINICAL,
  'client.referral.manage': CLINICAL,
  'client.reflection.write': CLINICAL,
  'reflection.read': CLINICAL,
  'client.accounting_requests.manage': ['owner', 'admin', 'clinician', 'supervisor'],
  'accounting_requests.list': ['owner', 'admin'],
  'fhir.read': CLINICAL,
  'client.export': CLINICAL,
  'retention.manage': ['owner', 'admin'],
  'incident.report.read': CLINICAL,
  'incident.report.write': CLINICAL,
  'incident.report.sign': CLINICAL,
  'incident.report.cosign': ['supervisor'],
  'reports.review_queue': ['supervisor'],
  'client.break_glass': CLINICAL,
  'call_gate.own': CLINICAL,
  'call_gate.practice': ['owner', 'admin'],
  'session.alerts.read': CLINICAL,
  'session.alert.decide': CLINICAL,
  'session.alert.raise': ['owner', 'admin', 'front_desk'],
};

describe('permissions', () => {
  it('names every action in the expected matrix', () => {
    expect(Object.keys(MAY_ATTEMPT).sort()).toEqual([...ACTIONS].sort());
  });

  for (const role of ROLES) {
    for (const action of ACTIONS) {
      const allowed = MAY_ATTEMPT[action].includes(role);
      it(`${role} ${allowed ? 'may' : 'may not'} attempt ${action}`, () => {
        expect(mayAttempt(action, { userId: 'u1', practiceId: 'p1', role })).toBe(allowed);
      });
    }
  }

  it('refuses everything in another practice, whatever the role', () => {
    for (const action of ACTIONS) {
      expect(can(action, { userId: 'u1', practiceId: 'p1', role: 'owner' }, { practiceId: 'p2' })).toBe(false);
    }
  });

  it('lists what a front desk person may attempt', () => {
    expect(allowedActions({ userId: 'u', practiceId: 'p', role: 'front_desk' }).sort()).toEqual(
      ['appointments.book', 'auth.sign_out', 'clients.directory', 'incident.note', 'incident.read', 'incidents.list', 'live.subscribe',
        'locations.read', 'me.page_phone', 'me.read', 'me.totp.enroll', 'notifications.read', 'pages.acknowledge', 'pages.read', 'policy.read', 'schedule.read',
        'session.alert.raise'],
    );
  });
});

describe("a client's record: the care team only (minimum necessary)", () => {
  const clinician: Actor = { userId: 'mei', practiceId: 'p1', role: 'clinician' };
  const otherClinician: Actor = { userId: 'sam', practiceId: 'p1', role: 'clinician' };
  const supervisor: Actor = { userId: 'amara', practiceId: 'p1', role: 'supervisor', superviseeIds: ['mei'] };
  const otherSupervisor: Actor = { userId: 'noor', practiceId: 'p1', role: 'supervisor', superviseeIds: ['sam'] };
  const admin: Actor = { userId: 'olivia', practiceId: 'p1', role: 'owner' };
  const frontDesk: Actor = { userId: 'jamie', practiceId: 'p1', role: 'front_desk' };
  const meisClient = { practiceId: 'p1', assignedClinicianIds: ['mei'] };

  const cases: [string, Actor, Action, boolean][] = [
    ['the assigned clinician reads', clinician, 'client.read', true],
    ['another clinician reads', otherClinician, 'client.read', false],
    ["the assigned clinician's supervisor reads", supervisor, 'client.read', true],
    ['a supervisor of someone else reads', otherSupervisor, 'client.read', false],
    ['the owner reads', admin, 'client.read', false],
    ['the front desk reads', frontDesk, 'client.read', false],
    ['the assigned clinician writes the safety plan', clinician, 'client.safety_plan.write', true],
    ['another clinician writes the safety plan', otherClinician, 'client.safety_plan.write', false],
    ['the owner archives', admin, 'client.archive', true],
    ['the front desk archives', frontDesk, 'client.archive', false],
    ['the supervisor reassigns', supervisor, 'client.assign', true],
    ['the assigned clinician reassigns', clinician, 'client.assign', false],
    ['the assigned clinician books', clinician, 'appointments.book', true],
    ['another clinician books', otherClinician, 'appointments.book', false],
    ["the assigned clinician's supervisor books", supervisor, 'appointments.book', true],
    ['the front desk books', frontDesk, 'appointments.book', true],
  ];
  for (const [story, actor, action, expected] of cases) {
    it(`${story}: ${expected ? 'allowed' : 'refused'}`, () => {
      expect(can(action, actor, meisClient)).toBe(expected);
    });
  }

  it('whoever was paged for an incident may read it and add notes, not act on its protocol', () => {
    const paged = { practiceId: 'p1', assignedClinicianIds: ['mei'], pagedUserIds: ['olivia', 'sam'] };
    expect(can('incident.read', admin, paged)).toBe(true);
    expect(can('incident.note', otherClinician, paged)).toBe(true);
    expect(can('incident.act', otherClinician, paged)).toBe(false);
    expect(can('incident.read', frontDesk, paged)).toBe(false);
    expect(can('pages.acknowledge', otherClinician, paged)).toBe(true);
    expect(can('pages.acknowledge', frontDesk, paged)).toBe(false);
  });

  it("an incident report is signed by an assigned clinician and co-signed by the signer's supervisor only", () => {
    const signed = { practiceId: 'p1', assignedClinicianIds: ['mei', 'sam'], signedByUserId: 'mei' };
    expect(can('incident.report.sign', clinician, signed)).toBe(true);
    expect(can('incident.report.sign', supervisor, signed)).toBe(false);
    expect(can('incident.report.cosign', supervisor, signed)).toBe(true);
    // Noor supervises Sam, also on the care team, but Mei signed.
    expect(can('incident.report.read', otherSupervisor, signed)).toBe(true);
    expect(can('incident.report.cosign', otherSupervisor, signed)).toBe(false);
    expect(can('incident.report.cosign', supervisor, { ...signed, signedByUserId: null })).toBe(false);
    expect(can('incident.report.cosign', clinician, signed)).toBe(false);
  });

  it("a session's alerts are its clinician's alone; the front desk raises one but reads none", () => {
    const meisSession = { practiceId: 'p1', ownerUserId: 'mei' };
    expect(can('session.alerts.read', clinician, meisSession)).toBe(true);
    expect(can('session.alert.decide', clinician, meisSession)).toBe(true);
    // Not even her supervisor answers her calls.
    expect(can('session.alerts.read', supervisor, meisSession)).toBe(false);
    expect(can('session.alert.decide', otherClinician, meisSession)).toBe(false);
    expect(can('session.alerts.read', frontDesk, meisSession)).toBe(false);
    expect(can('session.alert.raise', frontDesk, meisSession)).toBe(true);
    expect(can('session.alert.raise', clinician, meisSession)).toBe(false);
  });

  it('a supervisor who is also assigned reads as a clinician', () => {
    expect(can('client.read', { ...otherSupervisor, userId: 'noor' }, { practiceId: 'p1', assignedClinicianIds: ['noor'] })).toBe(true);
  });
});
