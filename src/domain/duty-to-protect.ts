/**
 * California's duty to protect. Cal. Civ. Code 43.92(a): it arises only when a patient
 * has communicated a serious threat of physical violence against a reasonably
 * identifiable victim; Ewing v. Goldstein (2004) 120 Cal.App.4th 807: a threat relayed
 * by a member of the patient's family counts as communicated. 43.92(b): the duty is
 * discharged by reasonable efforts to communicate the threat to the victim(s) AND to a
 * law enforcement agency.
 */
export type ThreatSource = 'client' | 'family_member' | 'other';

export interface ThreatFacts {
  seriousThreatOfPhysicalViolence: boolean;
  reasonablyIdentifiableVictim: boolean;
  communicatedBy: ThreatSource;
}

export function dutyToProtectApplies(f: ThreatFacts): boolean {
  return f.seriousThreatOfPhysicalViolence && f.reasonablyIdentifiableVictim
    && (f.communicatedBy === 'client' || f.communicatedBy === 'family_member');
}

export type DutyRecipient = 'victim' | 'law_enforcement';
/** Cal. Civ. Code 43.92(b): victim AND law enforcement. */
export const REQUIRED_RECIPIENTS: readonly DutyRecipient[] = ['victim', 'law_enforcement'];

export function missingRecipients(made: readonly DutyRecipient[]): DutyRecipient[] {
  return REQUIRED_RECIPIENTS.filter((r) => !made.includes(r));
}

export function dutyDischarged(made: readonly DutyRecipient[]): boolean {
  return missingRecipients(made).length === 0;
}

/**
 * Welf. & Inst. Code 8105(c): when a patient communicates a threat described in 43.92,
 * the psychotherapist reports to local law enforcement within 24 hours (the report that
 * starts the firearms prohibition of 8100(b)); it is separate from the warning.
 */
export const WIC_8105_REPORT_HOURS = 24;

export function wic8105ReportDue(threatCommunicatedAt: Date): Date {
  return new Date(threatCommunicatedAt.getTime() + WIC_8105_REPORT_HOURS * 3_600_000);
}

/** The legal basis recorded with each disclosure made under the duty. */
export const LEGAL_BASIS = {
  victim: 'Cal. Civ. Code 43.92(b): warning to the reasonably identifiable victim; HIPAA 45 CFR 164.512(j)(1)(i) (serious threat to health or safety)',
  law_enforcement: 'Cal. Civ. Code 43.92(b): notice to a law enforcement agency; HIPAA 45 CFR 164.512(j)(1)(i)',
  wic_8105: 'Cal. Welf. & Inst. Code 8105(c): report to local law enforcement within 24 hours',
} as const;
