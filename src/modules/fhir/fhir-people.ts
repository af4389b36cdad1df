/**
 * The people of the record as FHIR R4 resources: the practice (Organization), its
 * clinicians (Practitioner, names only), the client (Patient), emergency contacts
 * (RelatedPerson) and the client's consents (Consent).
 */
import type { ChannelConsent, Client, EmergencyContact } from '../clients/clients.table.ts';
import { ref, derivedId, SYSTEMS, type FhirResource } from './fhir-types.ts';

export function organization(practice: { id: string; name: string }): FhirResource {
  return { resourceType: 'Organization', id: practice.id, active: true, name: practice.name };
}

export function practitioner(user: { id: string; name: string; active: boolean }): FhirResource {
  // Names only: a clinician's email and role stay inside the practice (minimum necessary, 164.502(b)).
  return { resourceType: 'Practitioner', id: user.id, active: user.active, name: [{ text: user.name }] };
}

export function patient(client: Client, practiceId: string, careTeam: string[]): FhirResource {
  const telecom = [
    ...(client.phone ? [{ system: 'phone', value: client.phone }] : []),
    ...(client.email ? [{ system: 'email', value: client.email }] : []),
  ];
  return {
    resourceType: 'Patient', id: client.id,
    active: client.archived_at === null,
    name: [
      { use: 'official', text: client.legal_name },
      ...(client.preferred_name ? [{ use: 'usual', text: client.preferred_name }] : []),
    ],
    ...(telecom.length ? { telecom } : {}),
    ...(client.date_of_birth ? { birthDate: client.date_of_birth } : {}),
    ...(client.address ? { address: [{ text: client.address }] } : {}),
    ...(careTeam.length ? { generalPractitioner: careTeam.map((id) => ref('Practitioner', id)) } : {}),
    managingOrganization: ref('Organization', practiceId),
  };
}

export function relatedPerson(contact: EmergencyContact, clientId: string): FhirResource {
  return {
    resourceType: 'RelatedPerson', id: contact.id, active: true,
    patient: ref('Patient', clientId),
    // The client's own word for the relation ("sister"); v3-RoleCode is only a preferred binding.
    relationship: [{ text: contact.relationship }],
    name: [{ text: contact.name }],
    telecom: contact.phones.map((value, i) => ({ system: 'phone', value, rank: i + 1 })),
  };
}

const CHANNEL_WORDS = { voice: 'phone calls', text: 'text messages', email: 'email' } as const;

/**
 * The client's decision about a channel (given or refused) as a privacy consent
 * (Consent.status required binding consent-state-codes; provision.type consent-provision-type).
 */
export function channelConsent(c: ChannelConsent, practiceId: string): FhirResource {
  return {
    resourceType: 'Consent', id: derivedId('channel-consent', c.client_id, c.channel),
    status: 'active',
    scope: { coding: [{ system: SYSTEMS.consentScope, code: 'patient-privacy', display: 'Privacy Consent' }] },
    category: [{ coding: [{ system: SYSTEMS.loinc, code: '59284-0' }], text: `Contact by ${CHANNEL_WORDS[c.channel]}` }],
    patient: ref('Patient', c.client_id),
    dateTime: c.decided_on,
    organization: [ref('Organization', practiceId)],
    policyRule: { text: 'Messages to the client go only by channels the client consented to, within their quiet hours' },
    provision: {
      type: c.consent === 'given' ? 'permit' : 'deny',
      action: [{ text: `Contact the client by ${CHANNEL_WORDS[c.channel]}${c.may_leave_message ? '; messages may be left' : ''}` }],
    },
  };
}

/**
 * A standing consent that an emergency contact may be called in an emergency
 * (consent_scope 'emergency'), with what they may be told. "Ask at the time" and "none"
 * are not standing consents and export no Consent.
 */
export function emergencyContactConsent(contact: EmergencyContact, practiceId: string, today: string): FhirResource | null {
  if (contact.consent_scope !== 'emergency' || !contact.consent_given_on) return null;
  const expired = contact.consent_expires_on !== null && contact.consent_expires_on < today;
  return {
    resourceType: 'Consent', id: derivedId('emergency-contact-consent', contact.id),
    status: expired ? 'inactive' : 'active',
    scope: { coding: [{ system: SYSTEMS.consentScope, code: 'patient-privacy', display: 'Privacy Consent' }] },
    category: [{ coding: [{ system: SYSTEMS.loinc, code: '59284-0' }], text: 'Emergency contact may be called' }],
    patient: ref('Patient', contact.client_id),
    dateTime: contact.consent_given_on,
    organization: [ref('Organization', practiceId)],
    policyRule: { text: 'Emergency contacts are called only within the consent the client gave' },
    provision: {
      type: 'permit',
      period: { start: contact.consent_given_on, ...(contact.consent_expires_on ? { end: contact.consent_expires_on } : {}) },
      actor: [{ role: { coding: [{ system: SYSTEMS.participationType, code: 'IRCP', display: 'information recipient' }] }, reference: ref('RelatedPerson', contact.id, contact.name) }],
      purpose: [{ system: SYSTEMS.actReason, code: 'ETREAT', display: 'Emergency Treatment' }],
      action: [{ text: `May be told: ${contact.may_be_told}` }],
    },
  };
}
