/**
 * Disclosures (HIPAA 45 CFR 164.528) as AuditEvents in the IHE Basic Audit Log Patterns
 * "PrivacyDisclosure" form, as recorded by the source (the practice): type DICOM 110106
 * Export, subtype ISO 21089 "disclose", the practice as custodian, the clinician as the
 * source agent, the recipient as the destination agent, the client as the patient entity,
 * and the purpose of use.
 */
import type { Disclosure, DisclosureRecipientKind } from '../incidents/incidents.table.ts';
import { instant, ref, SYSTEMS, type CodeableConcept, type FhirResource } from './fhir-types.ts';

export const BALP_PRIVACY_DISCLOSURE_SOURCE = 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PrivacyDisclosure.Source';

/**
 * v3-ActReason purposes of use: emergency treatment for emergency services and contacts
 * (164.510(b)(3), 164.512(j)); THREAT for warnings to a potential victim and reports to
 * law enforcement under the duty to protect (164.512(j)(1)(i); Cal. Civ. Code 43.92).
 */
const PURPOSE: Partial<Record<DisclosureRecipientKind, { code: string; display: string }>> = {
  emergency_services: { code: 'ETREAT', display: 'Emergency Treatment' },
  emergency_contact: { code: 'ETREAT', display: 'Emergency Treatment' },
  victim: { code: 'THREAT', display: 'threat' },
  law_enforcement: { code: 'THREAT', display: 'threat' },
};

const RECIPIENT_WORDS: Record<DisclosureRecipientKind, string> = {
  victim: 'potential victim', law_enforcement: 'law enforcement', emergency_contact: 'emergency contact',
  emergency_services: 'emergency services', other: 'other recipient',
};

export function disclosureAuditEvent(d: Disclosure, practiceId: string): FhirResource {
  const known = PURPOSE[d.recipient_kind];
  const purpose: CodeableConcept = { ...(known ? { coding: [{ system: SYSTEMS.actReason, ...known }] } : {}), text: d.purpose };
  return {
    resourceType: 'AuditEvent', id: d.id,
    meta: { profile: [BALP_PRIVACY_DISCLOSURE_SOURCE] },
    type: { system: SYSTEMS.dicom, code: '110106', display: 'Export' },
    subtype: [{ system: SYSTEMS.lifecycle, code: 'disclose', display: 'Disclose Record Lifecycle Event' }],
    // audit-event-action (required): the record was read out to the recipient
    action: 'R',
    period: { start: instant(d.disclosed_at), end: instant(d.disclosed_at) },
    recorded: instant(d.created_at),
    // audit-event-outcome (required): 0 = success
    outcome: '0',
    purposeOfEvent: [purpose],
    agent: [
      {
        type: { coding: [{ system: SYSTEMS.participationType, code: 'CST', display: 'custodian' }] },
        who: ref('Organization', practiceId), requestor: false,
      },
      {
        type: { coding: [{ system: SYSTEMS.dicom, code: '110153', display: 'Source Role ID' }] },
        who: ref('Practitioner', d.recorded_by), requestor: true,
      },
      {
        type: { coding: [{ system: SYSTEMS.dicom, code: '110152', display: 'Destination Role ID' }] },
        who: { display: [`${d.recipient_name} (${RECIPIENT_WORDS[d.recipient_kind]})`, d.recipient_address, d.recipient_contact].filter(Boolean).join(', ') },
        requestor: false,
        ...networkOf(d.recipient_contact),
      },
    ],
    source: {
      observer: ref('Organization', practiceId),
      type: [{ system: SYSTEMS.sourceType, code: '4', display: 'Application Server' }],
    },
    entity: [
      {
        what: ref('Patient', d.client_id),
        type: { system: SYSTEMS.auditEntityType, code: '1', display: 'Person' },
        role: { system: SYSTEMS.objectRole, code: '1', display: 'Patient' },
      },
      {
        ...(d.incident_id ? { what: ref('Encounter', d.incident_id) } : {}),
        type: { system: SYSTEMS.auditEntityType, code: '2', display: 'System Object' },
        description: d.what_was_said,
        detail: [{ type: 'legal-basis', valueString: d.legal_basis }],
      },
    ],
  };
}

/** audit-event-network-type (required): 3 telephone number, 4 email address; an address on paper has none. */
function networkOf(contact: string | null): { network?: { address: string; type: '3' | '4' } } {
  if (!contact) return {};
  if (/^[^\s@]+@[^\s@]+$/.test(contact.trim())) return { network: { address: contact.trim(), type: '4' } };
  if (/^\+?[\d\s().-]{3,20}$/.test(contact.trim())) return { network: { address: contact.trim(), type: '3' } };
  return {};
}
