import type { Role } from '../api.ts';

export interface User {
  id: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
  superviseeIds: string[];
}

export interface UserList {
  users: User[];
}

/** Roles someone can be invited as (there is one owner: the person who set up the practice). */
export const INVITABLE_ROLES: Role[] = ['clinician', 'supervisor', 'front_desk', 'admin'];

export function byName(a: User, b: User): number {
  return a.name.localeCompare(b.name);
}
