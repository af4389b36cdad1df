/**
 * Whether the preparation for an emergency is in place for a client (DESIGN.md,
 * "Before"): a safety plan, an emergency contact who may be called, and an
 * acknowledgement of the practice's current emergency and interruption policy.
 */
export type PolicyAcknowledgement = 'current' | 'outdated' | 'missing' | 'no_policy';

export function policyAcknowledgement(currentVersion: number | null, acknowledgedVersion: number | null): PolicyAcknowledgement {
  if (currentVersion === null) return 'no_policy';
  if (acknowledgedVersion === null) return 'missing';
  return acknowledgedVersion >= currentVersion ? 'current' : 'outdated';
}

export type ReadinessGap = 'no_safety_plan' | 'no_emergency_contact' | 'policy_missing' | 'policy_outdated';

export function readinessGaps(r: { hasSafetyPlan: boolean; hasCallableEmergencyContact: boolean; policy: PolicyAcknowledgement }): ReadinessGap[] {
  const gaps: ReadinessGap[] = [];
  if (!r.hasSafetyPlan) gaps.push('no_safety_plan');
  if (!r.hasCallableEmergencyContact) gaps.push('no_emergency_contact');
  if (r.policy === 'missing') gaps.push('policy_missing');
  if (r.policy === 'outdated') gaps.push('policy_outdated');
  return gaps;
}

/**
 * An emergency contact may be called in an emergency when the client consented to
 * exactly that, and the consent has not expired on the given day.
 */
export function contactCallableInEmergency(c: { consentScope: 'emergency' | 'ask_at_time' | 'none'; consentExpiresOn: string | null }, today: string): boolean {
  return c.consentScope === 'emergency' && (c.consentExpiresOn === null || c.consentExpiresOn >= today);
}
