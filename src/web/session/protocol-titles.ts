// The protocols as the emergency control lists them, from the browser's cached catalog
// (offline/protocols.ts: served without waiting for the network, built-ins until cached).
import type { ProtocolDefinition } from '../../domain/protocols/definition.ts';
import { useProtocols } from '../offline/protocols.ts';

export type ProtocolChoice = Pick<ProtocolDefinition, 'key' | 'title' | 'discreetTitle'>;

/** In catalog order. */
export function useProtocolChoices(): ProtocolChoice[] {
  return useProtocols().protocols;
}

/** A protocol's name on screen; neutral in discreet mode. */
export function protocolTitle(choices: ProtocolChoice[], key: string, discreet: boolean): string {
  const p = choices.find((c) => c.key === key);
  if (!p) return discreet ? 'Record' : key;
  return discreet ? p.discreetTitle : p.title;
}
