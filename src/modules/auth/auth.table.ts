import type { ColumnType, Selectable } from 'kysely';
import type { Role } from '../../domain/permissions.ts';

export interface UserTable {
  practice_id: string;
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  totp_secret: string | null;
  totp_enabled: ColumnType<boolean, boolean | undefined, boolean>;
  totp_last_step: number | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  /** Where their pages are also texted (E.164), if they gave a number. */
  page_phone: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: ColumnType<Date, Date | undefined, never>;
}
export type User = Selectable<UserTable>;

export interface SupervisionTable {
  practice_id: string;
  supervisor_id: string;
  clinician_id: string;
}

export interface InviteTable {
  practice_id: string;
  id: string;
  token_hash: string;
  email: string;
  name: string;
  role: Exclude<Role, 'owner'>;
  supervisee_ids: ColumnType<string[], string[] | undefined, string[]>;
  invited_by: string;
  expires_at: Date;
  accepted_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface AuthSessionTable {
  token_hash: string;
  practice_id: string;
  user_id: string;
  csrf_token: string;
  mfa_verified: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: ColumnType<Date, Date | undefined, never>;
  last_seen_at: ColumnType<Date, Date | undefined, Date>;
  ip: string | null;
  user_agent: string | null;
}

export interface SignInFailureTable {
  key: string;
  at: ColumnType<Date, Date | undefined, never>;
}
