/**
 * The small part of FHIR R4 that Holdspace writes (https://hl7.org/fhir/R4/). Shapes,
 * not a full model: the tests validate every exported resource against the R4
 * StructureDefinitions with @medplum/core.
 */
import { createHash } from 'node:crypto';

export interface Coding { system?: string; code?: string; display?: string }
export interface CodeableConcept { coding?: Coding[]; text?: string }
export interface Reference { reference?: string; display?: string }
export interface Period { start?: string; end?: string }

export interface FhirResource {
  resourceType: string;
  id: string;
  [element: string]: unknown;
}

export interface BundleEntry {
  fullUrl: string;
  resource: FhirResource;
  search: { mode: 'match' | 'include' };
}

export interface Bundle {
  resourceType: 'Bundle';
  id: string;
  type: 'searchset';
  timestamp: string;
  total: number;
  link: { relation: string; url: string }[];
  entry: BundleEntry[];
}

export const SYSTEMS = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  actReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  participationMode: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode',
  dicom: 'http://dicom.nema.org/resources/ontology/DCM',
  lifecycle: 'http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle',
  auditEntityType: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
  objectRole: 'http://terminology.hl7.org/CodeSystem/object-role',
  sourceType: 'http://terminology.hl7.org/CodeSystem/security-source-type',
  flagCategory: 'http://terminology.hl7.org/CodeSystem/flag-category',
  riskProbability: 'http://terminology.hl7.org/CodeSystem/risk-probability',
  consentScope: 'http://terminology.hl7.org/CodeSystem/consentscope',
} as const;

export const ref = (type: string, id: string, display?: string | null): Reference =>
  ({ reference: `${type}/${id}`, ...(display ? { display } : {}) });

/** A FHIR dateTime/instant from a stored time. */
export const instant = (d: Date): string => d.toISOString();

/**
 * A stable id (UUID-shaped, within FHIR's 64-character id limit) for a resource that
 * has no row of its own: a consent per channel, the screener of one protocol step.
 */
export function derivedId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('|'), 'utf8').digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
