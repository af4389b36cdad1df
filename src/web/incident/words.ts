// The incident screen's words: titles (neutral in discreet mode), people and times.
import type { ProtocolDefinition, StepDefinition } from '../../domain/protocols/definition.ts';
import type { StepState } from '../../domain/protocols/run.ts';
import type { IncidentDetail, Named } from './incident-types.ts';

export function protocolName(p: Pick<ProtocolDefinition, 'title' | 'discreetTitle'>, discreet: boolean): string {
  return discreet ? p.discreetTitle : p.title;
}

export function stepName(step: StepDefinition, discreet: boolean): string {
  return discreet ? (step.discreetTitle ?? step.title) : step.title;
}

/** "14:05" in the practice's time zone. */
export function clockTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { timeStyle: 'short', timeZone }).format(d);
}

/** Who is who on this incident, by user id: the opener, everyone on the timeline and the pages, and me. */
export function namesOf(detail: IncidentDetail, me: Named): Map<string, string> {
  const names = new Map<string, string>();
  const add = (p: Named | null | undefined) => {
    if (p?.id && p.name) names.set(p.id, p.name);
  };
  add(detail.openedBy);
  for (const t of detail.timeline) add(t.actor);
  for (const p of detail.pages) {
    add(p.requestedBy);
    add(p.acknowledgedBy);
    for (const r of p.recipients) add(r.user);
  }
  names.set(me.id, 'You');
  names.set('', 'You'); // made in this browser before the server knew who
  return names;
}

export function personName(names: Map<string, string>, id: string | undefined, fallback = 'Someone'): string {
  return (id !== undefined ? names.get(id) : undefined) ?? fallback;
}

/** What was recorded for a finished step, in words; C-SSRS results stay neutral in discreet mode. */
export function stepOutcome(step: StepDefinition, s: StepState, discreet: boolean): string | null {
  if (s.status === 'skipped') return `Skipped: ${s.reason ?? ''}`;
  if (s.status !== 'done') return null;
  switch (step.kind) {
    case 'question':
      return step.options?.find((o) => o.value === s.value)?.label ?? (s.value !== undefined ? String(s.value) : null);
    case 'assessment':
      return discreet ? 'Recorded' : `Risk: ${String(s.value)}`;
    case 'decision':
      if (discreet) return 'Recorded';
      return s.value === 'applies' ? 'The duty to protect applies' : 'The duty to protect does not apply';
    case 'documentation':
      return s.text ?? null;
    case 'timer':
      if (!s.timer?.finishedAt) return null;
      return `Ended after ${Math.round((Date.parse(s.timer.finishedAt) - Date.parse(s.timer.startedAt)) / 60_000)} min`;
    default:
      return s.note ?? null;
  }
}

const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z/g;

/** Timeline text with the engine's UTC instants ("until 2026-03-02T18:10:00Z") shown as the practice's clock time. */
export function readableWhat(what: string, timeZone: string): string {
  return what.replace(ISO_INSTANT, (iso) => clockTime(iso, timeZone));
}
