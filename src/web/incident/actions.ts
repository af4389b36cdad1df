/**
 * What the clinician does on the incident screen. Protocol events are checked locally,
 * shown at once (the view applies queued events) and queued in the outbox with the ids
 * that make a resend harmless. Notes and requests for help are queued the same way so
 * they are not lost offline.
 */
import type { RunAction } from '../../domain/protocols/run.ts';
import type { Problem } from '../api.ts';
import { queueWrite } from '../offline/outbox.ts';
import type { DisclosureInput, RunEventBody, RunView } from './incident-types.ts';
import { refusalOf } from './incident-view.ts';
import { incidentPath } from './use-incident.ts';

/** Records one protocol event; returns the problem when the engine refuses it (nothing queued). */
export function recordRunEvent(
  incidentId: string, run: RunView, action: RunAction, actorId: string, disclosure?: DisclosureInput,
): Problem | null {
  const body: RunEventBody = { id: crypto.randomUUID(), occurredAt: new Date().toISOString(), action };
  if (disclosure) body.disclosure = cleanDisclosure(disclosure);
  const refusal = refusalOf(run.state, body, actorId);
  if (refusal) return refusal;
  queueWrite('POST', incidentPath(incidentId, `/runs/${encodeURIComponent(run.id)}/events`), body);
  return null;
}

function cleanDisclosure(d: DisclosureInput): DisclosureInput {
  const contact = d.recipientContact?.trim();
  return { recipientName: d.recipientName.trim(), whatWasSaid: d.whatWasSaid.trim(), ...(contact ? { recipientContact: contact } : {}) };
}

export function askForHelp(incidentId: string, reason: string): void {
  queueWrite('POST', incidentPath(incidentId, '/pages'), { reason: reason.trim() });
}

export function addNote(incidentId: string, text: string): void {
  // The id makes a resent note (after an answer lost on the way) one note, not two.
  queueWrite('POST', incidentPath(incidentId, '/notes'), { id: crypto.randomUUID(), text: text.trim() });
}
