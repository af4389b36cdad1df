/**
 * Opening an incident from the emergency control. Owned by the incident screen's author;
 * the signature is shared with the session screen. It must return at once (no waiting on
 * the network): the ids are made here, the incident is kept locally and the request is
 * queued in the offline outbox.
 */
import { queueWrite } from '../offline/outbox.ts';
import { cachedProtocol } from '../offline/protocols.ts';
import type { OpenIncidentBody } from './incident-types.ts';
import { provisionalIncident } from './incident-view.ts';
import { keepIncident } from './local-incidents.ts';

export interface OpenIncidentInput {
  clientId: string;
  sessionId: string | null;
  protocolKey: string;
  discreet: boolean;
}

/** The person is not known here; the server fills in who opened it. Shown as "You" meanwhile. */
const ME_FOR_NOW = { id: '', name: '' };

export function openIncident(input: OpenIncidentInput): { incidentId: string } {
  const protocol = cachedProtocol(input.protocolKey);
  if (!protocol) throw new Error(`Unknown protocol "${input.protocolKey}"`);
  const body: OpenIncidentBody = {
    id: crypto.randomUUID(),
    runId: crypto.randomUUID(),
    clientId: input.clientId,
    sessionId: input.sessionId,
    protocolKey: input.protocolKey,
    discreet: input.discreet,
    occurredAt: new Date().toISOString(),
  };
  keepIncident(provisionalIncident(body, protocol, ME_FOR_NOW), false);
  queueWrite('POST', '/api/incidents', body);
  return { incidentId: body.id };
}
