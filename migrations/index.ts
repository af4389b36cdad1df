import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_preparation.ts';
import * as m0003 from './0003_in_session.ts';
import * as m0004 from './0004_after.ts';
import * as m0005 from './0005_incident_reports.ts';
import * as m0006 from './0006_disclosure_accounting.ts';
import * as m0007 from './0007_encryption_break_glass.ts';
import * as m0008 from './0008_export_retention.ts';
import * as m0009 from './0009_call_gate.ts';
import * as m0010 from './0010_page_texts.ts';
import * as m0011 from './0011_pager_standby.ts';

/** Every migration, in order. Forward-only: add a file and a line; never edit one that shipped. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_preparation': m0002,
  '0003_in_session': m0003,
  '0004_after': m0004,
  '0005_incident_reports': m0005,
  '0006_disclosure_accounting': m0006,
  '0007_encryption_break_glass': m0007,
  '0008_export_retention': m0008,
  '0009_call_gate': m0009,
  '0010_page_texts': m0010,
  '0011_pager_standby': m0011,
};
