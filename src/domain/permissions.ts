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
}

/** What a condition may look at besides the actor: the resource being acted on. */
export interface ResourceContext {
  practiceId?: string;
  /** The user a user-level resource belongs to (their own profile, second factor…). */
  ownerUserId?: string;
}

type Condition = (actor: Actor, resource: ResourceContext | undefined) => boolean;

export const conditions = {
  isOwner: (a) => a.role === 'owner',
  isAdmin: (a) => a.role === 'owner' || a.role === 'admin',
  isClinician: (a) => a.role === 'clinician' || a.role === 'supervisor',
  isSupervisor: (a) => a.role === 'supervisor',
  isFrontDesk: (a) => a.role === 'front_desk',
  isSignedIn: () => true,
  isSelf: (a, r) => r?.ownerUserId === a.userId,
} satisfies Record<string, Condition>;

type ConditionName = keyof typeof conditions;

export const permissions = {
  'me.read': [['isSignedIn']],
  'me.totp.enroll': [['isSignedIn']],
  'auth.sign_out': [['isSignedIn']],
  'users.list': [['isAdmin']],
  'users.invite': [['isAdmin']],
  'users.supervisees.update': [['isAdmin']],
  'practice.security.update': [['isOwner']],
  'audit.browse': [['isAdmin']],
  'audit.verify': [['isAdmin']],
} as const satisfies Record<string, readonly (readonly ConditionName[])[]>;

export type Action = keyof typeof permissions;
export const ACTIONS = Object.keys(permissions) as Action[];

export function can(action: Action, actor: Actor, resource?: ResourceContext): boolean {
  // The tenancy wall comes first: nothing in another practice, whatever the role.
  if (resource?.practiceId !== undefined && resource.practiceId !== actor.practiceId) return false;
  const alternatives: readonly (readonly ConditionName[])[] = permissions[action];
  return alternatives.some((all) => all.every((name) => conditions[name](actor, resource)));
}

/** The actions an actor may take in general, for the web app to show or hide controls. */
export function allowedActions(actor: Actor): Action[] {
  return ACTIONS.filter((action) => can(action, actor));
}
