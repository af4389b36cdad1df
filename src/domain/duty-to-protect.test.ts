import { describe, expect, it } from 'vitest';
import { dutyDischarged, dutyToProtectApplies, missingRecipients, wic8105ReportDue, type ThreatFacts } from './duty-to-protect.ts';

describe('the duty to protect (Cal. Civ. Code 43.92)', () => {
  const rows: [string, ThreatFacts, boolean][] = [
    ['serious threat, identifiable victim, from the client', { seriousThreatOfPhysicalViolence: true, reasonablyIdentifiableVictim: true, communicatedBy: 'client' }, true],
    ['relayed by a family member (Ewing v. Goldstein)', { seriousThreatOfPhysicalViolence: true, reasonablyIdentifiableVictim: true, communicatedBy: 'family_member' }, true],
    ['relayed by someone else', { seriousThreatOfPhysicalViolence: true, reasonablyIdentifiableVictim: true, communicatedBy: 'other' }, false],
    ['no identifiable victim', { seriousThreatOfPhysicalViolence: true, reasonablyIdentifiableVictim: false, communicatedBy: 'client' }, false],
    ['not a serious threat of physical violence', { seriousThreatOfPhysicalViolence: false, reasonablyIdentifiableVictim: true, communicatedBy: 'client' }, false],
    ['nothing', { seriousThreatOfPhysicalViolence: false, reasonablyIdentifiableVictim: false, communicatedBy: 'other' }, false],
  ];
  it.each(rows)('%s → %s', (_story, facts, applies) => {
    expect(dutyToProtectApplies(facts)).toBe(applies);
  });

  it('is discharged only by telling the victim AND law enforcement', () => {
    expect(dutyDischarged([])).toBe(false);
    expect(dutyDischarged(['victim'])).toBe(false);
    expect(missingRecipients(['victim'])).toEqual(['law_enforcement']);
    expect(dutyDischarged(['law_enforcement'])).toBe(false);
    expect(dutyDischarged(['law_enforcement', 'victim'])).toBe(true);
  });

  it('puts the WIC 8105(c) report 24 hours after the threat', () => {
    expect(wic8105ReportDue(new Date('2026-11-22T21:15:00Z')).toISOString()).toBe('2026-11-23T21:15:00.000Z');
  });
});
