/** The built-in protocols, validated when this module loads (a bad definition fails fast). */
import { loadProtocol, type ProtocolDefinition } from './definition.ts';
import { clientLeavesTriggered } from './definitions/client-leaves-triggered.ts';
import { clientWalksOut } from './definitions/client-walks-out.ts';
import { clinicianEmergency } from './definitions/clinician-emergency.ts';
import { imminentRiskToSelf } from './definitions/imminent-risk-to-self.ts';
import { medicalEmergency } from './definitions/medical-emergency.ts';
import { steppingOut } from './definitions/stepping-out.ts';
import { telehealthDisconnection } from './definitions/telehealth-disconnection.ts';
import { threatToOthers } from './definitions/threat-to-others.ts';

/** In the order the emergency control lists them. */
export const BUILT_IN_PROTOCOLS: readonly ProtocolDefinition[] = [
  imminentRiskToSelf, threatToOthers, medicalEmergency, clientWalksOut,
  clientLeavesTriggered, clinicianEmergency, steppingOut, telehealthDisconnection,
].map(loadProtocol);

export function builtInProtocol(key: string): ProtocolDefinition | undefined {
  return BUILT_IN_PROTOCOLS.find((p) => p.key === key);
}
