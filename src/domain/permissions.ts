/**
 * Who may do what, as data (after techmatters/hrm): each action lists alternatives,
 * each alternative a list of conditions that must all hold. `can` is the only
 * evaluator; routes name their action and never test roles themselves.
 */
export const ROLES = ['owner', 'admin', 'clinician', 'supervisor', 'front_desk'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  userId: string;
  practiceId: string;
  role: Role;
  /** For a supervisor: the clinicians they supervise. */
  superviseeIds?: readonly string[];
}

/** What a condition may look at besides the actor: the resource being acted on. */
export interface ResourceContext {
  practiceId?: string;
  /** The user a user-level resource belongs to (their own profile, second factor…). */
  ownerUserId?: string;
  /** The clinicians assigned to the client a resource belongs to. */
  assignedClinicianIds?: readonly string[];
  /** The people paged for an incident so far: responders see it to help. */
  pagedUserIds?: readonly string[];
  /** The clinician who signed an incident report: their supervisor reviews and co-signs it. */
  signedByUserId?: string | null;
  /** Clinicians holding an active break-glass grant on the client (issue 6): read-only, time-limited. */
  breakGlassUserIds?: readonly string[];
}

type Condition = (actor: Actor, resource: ResourceContext | undefined) => boolean;

/** Conditions on the actor alone: checked before a route's handler runs. */
const roleConditions = {
  isOwner: (a) => a.role === 'owner',
  isAdmin: (a) => a.role === 'owner' || a.role === 'admin',
  isClinician: (a) => a.role === 'clinician' || a.role === 'supervisor',
  isSupervisor: (a) => a.role === 'supervisor',
  isFrontDesk: (a) => a.role === 'front_desk',
  isSignedIn: () => true,
  /** Whoever an escalation policy can page: supervisors, on-call clinicians, owners (src/domain/escalation.ts). */
  mayBePaged: (a) => a.role === 'owner' || a.role === 'clinician' || a.role === 'supervisor',
} satisfies Record<string, Condition>;

/** Conditions on the resource too: checked once the resource is loaded. */
const resourceConditions = {
  isSelf: (a, r) => r?.ownerUserId === a.userId,
  isAssignedClinician: (a, r) => r?.assignedClinicianIds?.includes(a.userId) ?? false,
  isSupervisorOfAssigned: (a, r) => r?.assignedClinicianIds?.some((id) => a.superviseeIds?.includes(id)) ?? false,
  isPagedResponder: (a, r) => r?.pagedUserIds?.includes(a.userId) ?? false,
  /** The author of a note (ownerUserId): psychotherapy notes are read by their author alone. */
  isAuthor: (a, r) => r?.ownerUserId === a.userId,
  isSupervisorOfSigner: (a, r) => (r?.signedByUserId ? a.superviseeIds?.includes(r.signedByUserId) ?? false : false),
  hasBreakGlassGrant: (a, r) => r?.breakGlassUserIds?.includes(a.userId) ?? false,
} satisfies Record<string, Condition>;

export const conditions = { ...roleConditions, ...resourceConditions };
type ConditionName = keyof typeof conditions;

// Minimum necessary (HIPAA 45 CFR 164.502(b)): a client's record is open to the
// clinicians assigned to the client and to their supervisors; nobody else.
const CARE_TEAM = [['isClinician', 'isAssignedClinician'], ['isSupervisor', 'isSupervisorOfAssigned']] as const;
// Break-glass (issue 6; HIPAA 45 CFR 164.312(a)(2)(ii) emergency access procedure): a clinician
// outside the care team who stated a reason reads the record for a limited time; never changes it.
const BREAK_GLASS_READ = [['isClinician', 'hasBreakGlassGrant']] as const;

export const permissions = {
  'me.read': [['isSignedIn']],
  'me.totp.enroll': [['isSignedIn']],
  // Anyone may be paged (the owner at the last level too): each sets where their pages are texted.
  'me.page_phone': [['isSignedIn']],
  'auth.sign_out': [['isSignedIn']],
  'users.list': [['isAdmin']],
  'users.invite': [['isAdmin']],
  'users.supervisees.update': [['isAdmin']],
  'practice.security.update': [['isOwner']],
  'audit.browse': [['isAdmin']],
  'audit.verify': [['isAdmin']],
  // The client directory: names for booking (front desk, admins); clinicians see their own.
  'clients.directory': [['isClinician'], ['isAdmin'], ['isFrontDesk']],
  'clients.create': [['isClinician'], ['isAdmin']],
  'client.read': [...CARE_TEAM, ...BREAK_GLASS_READ],
  'client.update': CARE_TEAM,
  'client.archive': [...CARE_TEAM, ['isAdmin']],
  'client.assign': [['isAdmin'], ['isSupervisor', 'isSupervisorOfAssigned']],
  'client.safety_plan.write': CARE_TEAM,
  'client.risk.record': CARE_TEAM,
  'policy.read': [['isSignedIn']],
  'policy.publish': [['isAdmin']],
  'locations.read': [['isSignedIn']],
  'locations.manage': [['isAdmin']],
  'schedule.read': [['isClinician'], ['isAdmin'], ['isFrontDesk']],
  'appointments.book': [['isFrontDesk'], ['isAdmin'], ...CARE_TEAM],
  // In the session: the client's care team runs the session and its emergencies.
  'session.run': CARE_TEAM,
  'protocols.read': [['isClinician'], ['isAdmin']],
  'protocols.configure': [['isAdmin']],
  'escalation.read': [['isClinician'], ['isAdmin']],
  'escalation.manage': [['isAdmin']],
  'incident.open': CARE_TEAM,
  'incident.act': CARE_TEAM,
  // Whoever was paged may see the incident and add notes, to help (the page is how they were asked).
  // Break-glass reads the client's incidents too: read-only, no notes, no steps (src/modules/break-glass/break-glass-access.ts).
  'incident.read': [...CARE_TEAM, ['isPagedResponder'], ...BREAK_GLASS_READ],
  'incident.note': [...CARE_TEAM, ['isPagedResponder']],
  'incidents.list': [['isSignedIn']],
  'pages.acknowledge': [['isPagedResponder']],
  'pages.read': [['isSignedIn']],
  'live.subscribe': [['isSignedIn']],
  'pager.standby': [['mayBePaged']],
  'client.disclosures.read': [...CARE_TEAM, ...BREAK_GLASS_READ],
  'follow_ups.read': [['isClinician']],
  'follow_up.complete': CARE_TEAM,
  // After the session (issue 5).
  'follow_up.create': CARE_TEAM,
  'follow_up.attempt': CARE_TEAM,
  'follow_up.update': CARE_TEAM,
  // The team's open and overdue follow-ups: a supervisor's supervisees and their own.
  'follow_ups.team': [['isSupervisor']],
  'follow_ups.settings': [['isAdmin']],
  'notifications.read': [['isSignedIn']],
  'messaging.settings.read': [['isAdmin']],
  'messaging.settings.manage': [['isAdmin']],
  // The development transport's sent messages (no clinical detail in any template).
  'outbox.read': [['isAdmin']],
  // Break-glass: the messages exchanged with the client, read-only (who last reached them, and how).
  'client.messages.read': [...CARE_TEAM, ...BREAK_GLASS_READ],
  'client.message.send': CARE_TEAM,
  'client.caring_contacts.manage': CARE_TEAM,
  'client.agenda.manage': CARE_TEAM,
  'client.aftercare.write': CARE_TEAM,
  'client.referral.manage': CARE_TEAM,
  'client.reflection.write': CARE_TEAM,
  // A psychotherapy note (HIPAA 45 CFR 164.501): its author alone, not even the supervisor.
  'reflection.read': [['isClinician', 'isAuthor']],
  // Exports (issue 6): FHIR R4 bundles and the client's full record (right of access, HIPAA
  // 45 CFR 164.524) are for the client's care team; psychotherapy notes are never in them.
  'fhir.read': CARE_TEAM,
  'client.export': CARE_TEAM,
  // How long records are kept after the last contact: a practice-wide setting.
  'retention.manage': [['isAdmin']],
  // Requests for an accounting of disclosures (HIPAA 45 CFR 164.528(c)): dates and names, no
  // clinical detail; administrators often receive them. Reading the accounting itself is client.disclosures.read.
  'client.accounting_requests.manage': [...CARE_TEAM, ['isAdmin']],
  'accounting_requests.list': [['isAdmin']],
  // The incident report (issue 6): drafted and amended (addenda) by the care team, signed by an
  // assigned clinician, reviewed, co-signed and closed by a supervisor of the clinician who signed.
  'incident.report.read': [...CARE_TEAM, ...BREAK_GLASS_READ],
  'incident.report.write': CARE_TEAM,
  'incident.report.sign': [['isClinician', 'isAssignedClinician']],
  'incident.report.cosign': [['isSupervisor', 'isSupervisorOfSigner']],
  'reports.review_queue': [['isSupervisor']],
  // Emergency access to a client's record outside one's care team: any clinician, with a reason.
  'client.break_glass': [['isClinician']],
  // The urgent-call gate (issue 7): a clinician's own line, list and record of calls; the practice's
  // numbers and rules. The alerts of a session are its clinician's (ownerUserId); the front desk
  // and administrators raise one for something urgent at the door or on the phone.
  'call_gate.own': [['isClinician']],
  'call_gate.practice': [['isAdmin']],
  'session.alerts.read': [['isClinician', 'isSelf']],
  'session.alert.decide': [['isClinician', 'isSelf']],
  'session.alert.raise': [['isFrontDesk'], ['isAdmin']],
} as const satisfies Record<string, readonly (readonly ConditionName[])[]>;

export type Action = keyof typeof permissions;
export const ACTIONS = Object.keys(permissions) as Action[];

export function can(action: Action, actor: Actor, resource?: ResourceContext): boolean {
  // The tenancy wall comes first: nothing in another practice, whatever the role.
  if (resource?.practiceId !== undefined && resource.practiceId !== actor.practiceId) return false;
  const alternatives: readonly (readonly ConditionName[])[] = permissions[action];
  return alternatives.some((all) => all.every((name) => conditions[name](actor, resource)));
}

/**
 * Whether some alternative could allow the action once the resource is known: its
 * conditions on the actor hold. Routes check this before loading anything.
 */
export function mayAttempt(action: Action, actor: Actor): boolean {
  const alternatives: readonly (readonly ConditionName[])[] = permissions[action];
  return alternatives.some((all) => all.every((name) => !(name in roleConditions) || conditions[name](actor, undefined)));
}

/** The actions an actor may attempt, for the web app to show or hide controls. */
export function allowedActions(actor: Actor): Action[] {
  return ACTIONS.filter((action) => mayAttempt(action, actor));
}
