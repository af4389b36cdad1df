// What the /api/locations endpoints send, and the form's draft of a location.
import { orNull, type FieldLabels } from '../clients/client-form.tsx';
import { formatPhone } from '../clients/format.ts';

export type CrisisKind = 'emergency' | 'crisis_line' | 'mobile_crisis' | 'emergency_department' | 'poison_control';

export interface CrisisResource {
  kind: CrisisKind;
  label: string;
  phone: string | null;
  address: string | null;
}

export interface Location {
  id: string;
  name: string;
  address: string;
  timeZone: string | null;
  emergencyNumber: string;
  crisisLine: string;
  mobileCrisisName: string | null;
  mobileCrisisPhone: string | null;
  emergencyDepartmentName: string | null;
  emergencyDepartmentAddress: string | null;
  emergencyDepartmentPhone: string | null;
  poisonControlPhone: string;
  crisisResources: CrisisResource[];
}

export interface LocationDraft {
  name: string;
  address: string;
  timeZone: string;
  emergencyNumber: string;
  crisisLine: string;
  mobileCrisisName: string;
  mobileCrisisPhone: string;
  emergencyDepartmentName: string;
  emergencyDepartmentAddress: string;
  emergencyDepartmentPhone: string;
  poisonControlPhone: string;
}

export const LOCATION_LABELS: FieldLabels = {
  name: 'Location name',
  address: 'Address',
  timeZone: 'Time zone',
  emergencyNumber: 'Emergency number',
  crisisLine: 'Crisis line',
  mobileCrisisName: 'Mobile crisis team',
  mobileCrisisPhone: 'Mobile crisis phone',
  emergencyDepartmentName: 'Emergency department',
  emergencyDepartmentAddress: 'Emergency department address',
  emergencyDepartmentPhone: 'Emergency department phone',
  poisonControlPhone: 'Poison control',
};

/** A new location starts with the US numbers: 911, the 988 Lifeline and Poison Help. */
export const NEW_LOCATION: LocationDraft = {
  name: '',
  address: '',
  timeZone: '',
  emergencyNumber: '911',
  crisisLine: '988',
  mobileCrisisName: '',
  mobileCrisisPhone: '',
  emergencyDepartmentName: '',
  emergencyDepartmentAddress: '',
  emergencyDepartmentPhone: '',
  poisonControlPhone: formatPhone('+18002221222'),
};

const phone = (p: string | null) => (p ? formatPhone(p) : '');

export function draftOf(l: Location): LocationDraft {
  return {
    name: l.name,
    address: l.address,
    timeZone: l.timeZone ?? '',
    emergencyNumber: phone(l.emergencyNumber),
    crisisLine: phone(l.crisisLine),
    mobileCrisisName: l.mobileCrisisName ?? '',
    mobileCrisisPhone: phone(l.mobileCrisisPhone),
    emergencyDepartmentName: l.emergencyDepartmentName ?? '',
    emergencyDepartmentAddress: l.emergencyDepartmentAddress ?? '',
    emergencyDepartmentPhone: phone(l.emergencyDepartmentPhone),
    poisonControlPhone: phone(l.poisonControlPhone),
  };
}

/** The whole location, for adding (POST) and changing (PATCH) alike; blank optional fields clear. */
export function bodyOf(d: LocationDraft) {
  return {
    name: d.name.trim(),
    address: d.address.trim(),
    timeZone: orNull(d.timeZone),
    emergencyNumber: d.emergencyNumber.trim(),
    crisisLine: d.crisisLine.trim(),
    mobileCrisisName: orNull(d.mobileCrisisName),
    mobileCrisisPhone: orNull(d.mobileCrisisPhone),
    emergencyDepartmentName: orNull(d.emergencyDepartmentName),
    emergencyDepartmentAddress: orNull(d.emergencyDepartmentAddress),
    emergencyDepartmentPhone: orNull(d.emergencyDepartmentPhone),
    poisonControlPhone: d.poisonControlPhone.trim(),
  };
}

/** What to fix before sending, by field. */
export function check(d: LocationDraft): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  if (!d.name.trim()) errors.push({ path: 'name', message: 'Enter a name for the location, for example Main office' });
  if (!d.address.trim()) errors.push({ path: 'address', message: 'Enter the street address, so help can be sent there' });
  if (!d.emergencyNumber.trim()) errors.push({ path: 'emergencyNumber', message: 'Enter the emergency number, 911 in the US' });
  if (!d.crisisLine.trim()) errors.push({ path: 'crisisLine', message: 'Enter the crisis line, 988 in the US' });
  if (!d.poisonControlPhone.trim()) errors.push({ path: 'poisonControlPhone', message: 'Enter the poison control number, (800) 222-1222 in the US' });
  if (d.mobileCrisisName.trim() && !d.mobileCrisisPhone.trim()) {
    errors.push({ path: 'mobileCrisisPhone', message: 'Add the mobile crisis team’s phone number, or clear its name' });
  }
  return errors;
}

export function locationPath(id?: string): string {
  return id ? `/api/locations/${encodeURIComponent(id)}` : '/api/locations';
}
