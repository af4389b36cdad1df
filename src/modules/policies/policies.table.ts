import type { ColumnType, Selectable } from 'kysely';

export type AcknowledgementMethod = 'signed_in_person' | 'signed_electronically' | 'verbal_in_session' | 'verbal_telehealth';

export interface PolicyTable {
  practice_id: string;
  version: number;
  title: string;
  body_markdown: string;
  published_by: string;
  published_at: ColumnType<Date, Date | undefined, never>;
}
export type Policy = Selectable<PolicyTable>;

export interface PolicyAcknowledgementTable {
  practice_id: string;
  id: string;
  client_id: string;
  policy_version: number;
  acknowledged_on: string;
  method: AcknowledgementMethod;
  recorded_by: string;
  recorded_at: ColumnType<Date, Date | undefined, never>;
}
