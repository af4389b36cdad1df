/**
 * The protocol catalog, cached in the browser so the emergency control and a protocol
 * render without waiting for the network. Owned by the incident screen's author.
 */
import type { ProtocolDefinition } from '../../domain/protocols/definition.ts';

export function useProtocols(): { protocols: ProtocolDefinition[]; stale: boolean } {
  return { protocols: [], stale: true };
}
