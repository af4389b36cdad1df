/**
 * Opening an incident from the emergency control. Owned by the incident screen's author;
 * the signature is shared with the session screen. It must return at once (no waiting on
 * the network): the ids are made here, the incident is kept locally and the request is
 * queued in the offline outbox.
 */
export interface OpenIncidentInput {
  clientId: string;
  sessionId: string | null;
  protocolKey: string;
  discreet: boolean;
}

export function openIncident(_input: OpenIncidentInput): { incidentId: string } {
  throw new Error('not yet built');
}
