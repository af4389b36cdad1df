import { describe, expect, it } from 'vitest';
import { ACTIONS, allowedActions, can, ROLES, type Action, type Role } from './permissions.ts';

// The whole matrix, written out: a change to who may do what must change this table.
const EXPECTED: Record<Action, Role[]> = {
  'me.read': ['owner', 'admin', 'clinician', 'supervisor', 'front_desk'],
  'me.totp.enroll': ['owner', 'admin', 'clinician', 'supervisor', 'front_desk'],
  'auth.sign_out': ['owner', 'admin', 'clinician', 'supervisor', 'front_desk'],
  'users.list': ['owner', 'admin'],
  'users.invite': ['owner', 'admin'],
  'users.supervisees.update': ['owner', 'admin'],
  'practice.security.update': ['owner'],
  'audit.browse': ['owner', 'admin'],
  'audit.verify': ['owner', 'admin'],
};

describe('permissions', () => {
  it('names every action in the expected matrix', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
  });

  for (const role of ROLES) {
    for (const action of ACTIONS) {
      const allowed = EXPECTED[action].includes(role);
      it(`${role} ${allowed ? 'may' : 'may not'} ${action}`, () => {
        expect(can(action, { userId: 'u1', practiceId: 'p1', role })).toBe(allowed);
      });
    }
  }

  it('refuses everything in another practice, whatever the role', () => {
    for (const action of ACTIONS) {
      expect(can(action, { userId: 'u1', practiceId: 'p1', role: 'owner' }, { practiceId: 'p2' })).toBe(false);
    }
  });

  it('lists what a front desk person may do', () => {
    expect(allowedActions({ userId: 'u', practiceId: 'p', role: 'front_desk' }).sort()).toEqual(['auth.sign_out', 'me.read', 'me.totp.enroll']);
  });
});
