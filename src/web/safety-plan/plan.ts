// What the /api/clients/:id/safety-plan endpoints send, the editor's draft, and the
// words we use for each step.
import { clientPath } from '../clients/client.ts';
import { formatPhone } from '../clients/format.ts';

export type SectionKey =
  | 'warningSigns'
  | 'copingStrategies'
  | 'distractionContacts'
  | 'helpContacts'
  | 'professionalContacts'
  | 'safeEnvironment'
  | 'reasonsForLiving';
export type ItemsKey = 'warningSigns' | 'copingStrategies' | 'safeEnvironment' | 'reasonsForLiving';
export type ContactsKey = 'distractionContacts' | 'helpContacts' | 'professionalContacts';

export interface PlanContact {
  name: string;
  phone?: string;
  note?: string;
}

export type PlanContent = Record<ItemsKey, string[]> & Record<ContactsKey, PlanContact[]>;

export interface PlanGap {
  section: SectionKey;
  severity: 'warning' | 'serious';
  message: string;
}

export interface PlanSection {
  key: SectionKey;
  step: number | null;
  title: string;
  prompt: string;
  kind: 'items' | 'contacts';
}

export interface PlanVersion {
  version: number;
  savedAt: string;
  savedByName: string | null;
  content: PlanContent;
  gaps: PlanGap[];
}

/** GET /api/clients/:id/safety-plan */
export interface PlanResponse {
  current: PlanVersion | null;
  template: PlanContent | null;
  sections: PlanSection[];
}

export interface PlanVersionSummary {
  version: number;
  savedAt: string;
  savedByName: string | null;
}

export const MAX_ENTRIES = 30;
export const MAX_ITEM = 500;
export const MAX_NAME = 200;
export const MAX_NOTE = 300;

/** The steps in their order, for when the sections have not arrived (they always do with the plan). */
export const SECTION_KEYS: SectionKey[] = [
  'warningSigns',
  'copingStrategies',
  'distractionContacts',
  'helpContacts',
  'professionalContacts',
  'safeEnvironment',
  'reasonsForLiving',
];

/** One entry of a step, in words: "Add a warning sign", "Warning sign 2". */
export const ENTRY_NOUN: Record<SectionKey, { one: string; article: string }> = {
  warningSigns: { one: 'warning sign', article: 'a' },
  copingStrategies: { one: 'coping strategy', article: 'a' },
  distractionContacts: { one: 'person or place', article: 'a' },
  helpContacts: { one: 'person to ask for help', article: 'a' },
  professionalContacts: { one: 'professional or crisis line', article: 'a' },
  safeEnvironment: { one: 'safety step', article: 'a' },
  reasonsForLiving: { one: 'reason for living', article: 'a' },
};

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "Step 4" or, for what matters most, nothing. */
export function stepLabel(section: PlanSection): string | null {
  return section.step === null ? null : `Step ${section.step}`;
}

export function planPath(clientId: string): string {
  return `${clientPath(clientId)}/safety-plan`;
}

export function pdfHref(clientId: string, version?: number): string {
  return `${planPath(clientId)}.pdf${version === undefined ? '' : `?version=${version}`}`;
}

export function planPage(clientId: string, version?: number): string {
  const base = `/clients/${encodeURIComponent(clientId)}/safety-plan`;
  return version === undefined ? base : `${base}/versions/${version}`;
}

// --- the editor's draft --------------------------------------------------------

let nextRowId = 0;
/** Rows carry an id so React keeps focus and typing on the right row when one is removed. */
export function rowId(): string {
  nextRowId += 1;
  return `row-${nextRowId}`;
}

export interface ItemRow {
  id: string;
  text: string;
}
export interface ContactRow {
  id: string;
  name: string;
  phone: string;
  note: string;
}

export type Draft = Record<ItemsKey, ItemRow[]> & Record<ContactsKey, ContactRow[]>;

export const ITEM_KEYS: ItemsKey[] = ['warningSigns', 'copingStrategies', 'safeEnvironment', 'reasonsForLiving'];
export const CONTACT_KEYS: ContactsKey[] = ['distractionContacts', 'helpContacts', 'professionalContacts'];

export function isContactsKey(key: SectionKey): key is ContactsKey {
  return (CONTACT_KEYS as string[]).includes(key);
}

export function emptyContent(): PlanContent {
  return {
    warningSigns: [],
    copingStrategies: [],
    distractionContacts: [],
    helpContacts: [],
    professionalContacts: [],
    safeEnvironment: [],
    reasonsForLiving: [],
  };
}

export function draftOf(content: PlanContent): Draft {
  const items = (list: string[]) => list.map((text) => ({ id: rowId(), text }));
  const contacts = (list: PlanContact[]) =>
    list.map((c) => ({ id: rowId(), name: c.name, phone: c.phone ? formatPhone(c.phone) : '', note: c.note ?? '' }));
  return {
    warningSigns: items(content.warningSigns),
    copingStrategies: items(content.copingStrategies),
    distractionContacts: contacts(content.distractionContacts),
    helpContacts: contacts(content.helpContacts),
    professionalContacts: contacts(content.professionalContacts),
    safeEnvironment: items(content.safeEnvironment),
    reasonsForLiving: items(content.reasonsForLiving),
  };
}

/** A problem with one row of the draft (or a whole step when rowId is absent). */
export interface RowProblem {
  key: SectionKey;
  rowId?: string;
  field?: 'text' | 'name' | 'phone' | 'note';
  message: string;
}

export interface Prepared {
  content: PlanContent;
  problems: RowProblem[];
  /** For each step, the draft row each sent entry came from (the API numbers sent entries only). */
  sentRows: Record<SectionKey, string[]>;
}

/** "Step 4, person to ask for help 2" — the row as the person sees it on screen. */
export function rowName(sections: PlanSection[], key: SectionKey, index: number): string {
  const section = sections.find((s) => s.key === key);
  const noun = ENTRY_NOUN[key].one;
  return section?.step ? `Step ${section.step}, ${noun} ${index + 1}` : `${capitalize(noun)} ${index + 1}`;
}

/**
 * The draft as the API takes it: text trimmed, empty rows left out. A contact row with a
 * phone or note but no name is a problem rather than something to drop silently.
 */
export function prepare(draft: Draft, sections: PlanSection[]): Prepared {
  const content = emptyContent();
  const problems: RowProblem[] = [];
  const sentRows = Object.fromEntries(SECTION_KEYS.map((k) => [k, [] as string[]])) as Record<SectionKey, string[]>;
  for (const key of ITEM_KEYS) {
    draft[key].forEach((row, i) => {
      const text = row.text.trim();
      if (!text) return;
      if (text.length > MAX_ITEM) {
        problems.push({ key, rowId: row.id, field: 'text', message: `${rowName(sections, key, i)}: keep it to ${MAX_ITEM} characters (it has ${text.length}).` });
      }
      content[key].push(text);
      sentRows[key].push(row.id);
    });
  }
  for (const key of CONTACT_KEYS) {
    draft[key].forEach((row, i) => {
      const name = row.name.trim();
      const phone = row.phone.trim();
      const note = row.note.trim();
      if (!name && !phone && !note) return;
      if (!name) problems.push({ key, rowId: row.id, field: 'name', message: `${rowName(sections, key, i)}: enter a name, or clear the row.` });
      if (name.length > MAX_NAME) problems.push({ key, rowId: row.id, field: 'name', message: `${rowName(sections, key, i)}: keep the name to ${MAX_NAME} characters.` });
      if (note.length > MAX_NOTE) problems.push({ key, rowId: row.id, field: 'note', message: `${rowName(sections, key, i)}: keep the note to ${MAX_NOTE} characters.` });
      content[key].push({ name, ...(phone ? { phone } : {}), ...(note ? { note } : {}) });
      sentRows[key].push(row.id);
    });
  }
  for (const key of SECTION_KEYS) {
    if (content[key].length > MAX_ENTRIES) {
      const title = sections.find((s) => s.key === key)?.title ?? key;
      problems.push({ key, message: `“${title}” holds up to ${MAX_ENTRIES} entries; remove ${content[key].length - MAX_ENTRIES}.` });
    }
  }
  return { content, problems, sentRows };
}

/** The API's field errors ("body.content.helpContacts.1.phone") as problems with rows of the draft. */
export function rowProblemsOf(
  errors: { path: string; message: string }[],
  prepared: Prepared,
  draft: Draft,
  sections: PlanSection[],
): RowProblem[] {
  return errors.map((e) => {
    const rel = e.path.replace(/^body\.?/, '').replace(/^content\.?/, '');
    const [key, index, field] = rel.split('.');
    if (!key || !(SECTION_KEYS as string[]).includes(key)) return { key: 'warningSigns' as SectionKey, message: e.message };
    const k = key as SectionKey;
    const rowId = index === undefined ? undefined : prepared.sentRows[k][Number(index)];
    if (!rowId) return { key: k, message: `${sections.find((s) => s.key === k)?.title ?? k}: ${e.message}` };
    const at = (draft[k] as { id: string }[]).findIndex((r) => r.id === rowId);
    const f = field === 'name' || field === 'phone' || field === 'note' ? field : 'text';
    const what = f === 'text' ? '' : ` (${f})`;
    return { key: k, rowId, field: f, message: `${rowName(sections, k, at)}${what}: ${e.message}` };
  });
}

/** Whether two plans say the same thing (phones compared by their digits). */
export function sameContent(a: PlanContent, b: PlanContent): boolean {
  const digits = (p?: string) => (p ?? '').replace(/[^\d+]/g, '').replace(/^\+1/, '');
  for (const key of ITEM_KEYS) {
    if (a[key].length !== b[key].length || a[key].some((t, i) => t !== b[key][i])) return false;
  }
  for (const key of CONTACT_KEYS) {
    const x = a[key];
    const y = b[key];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) {
      const c = x[i];
      const d = y[i];
      if (!c || !d || c.name !== d.name || (c.note ?? '') !== (d.note ?? '') || digits(c.phone) !== digits(d.phone)) return false;
    }
  }
  return true;
}
