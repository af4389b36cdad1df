import { Field } from '../ui.tsx';
import type { ClientDetails } from './client.ts';
import { orNull, TextArea, type FieldLabels } from './client-form.tsx';
import { formatPhone } from './format.ts';

export interface ClientDraft {
  legalName: string;
  preferredName: string;
  pronouns: string;
  dateOfBirth: string;
  phone: string;
  email: string;
  address: string;
}

export const EMPTY_CLIENT: ClientDraft = { legalName: '', preferredName: '', pronouns: '', dateOfBirth: '', phone: '', email: '', address: '' };

export const CLIENT_LABELS: FieldLabels = {
  legalName: 'Legal name',
  preferredName: 'Preferred name',
  pronouns: 'Pronouns',
  dateOfBirth: 'Date of birth',
  phone: 'Phone',
  email: 'Email',
  address: 'Address',
  clinicianIds: 'Clinicians',
};

export function draftOf(c: ClientDetails): ClientDraft {
  return {
    legalName: c.legalName,
    preferredName: c.preferredName ?? '',
    pronouns: c.pronouns ?? '',
    dateOfBirth: c.dateOfBirth ?? '',
    phone: c.phone ? formatPhone(c.phone) : '',
    email: c.email ?? '',
    address: c.address ?? '',
  };
}

/** The request body: blank optional fields are sent as "not given". */
export function bodyOf(d: ClientDraft) {
  return {
    legalName: d.legalName.trim(),
    preferredName: orNull(d.preferredName),
    pronouns: orNull(d.pronouns),
    dateOfBirth: orNull(d.dateOfBirth),
    phone: orNull(d.phone),
    email: orNull(d.email),
    address: orNull(d.address),
  };
}

interface Props {
  draft: ClientDraft;
  onChange: (d: ClientDraft) => void;
  invalid: (path: string) => true | undefined;
  today: string;
}

/** The client's own details, used when adding a client and when editing them. */
export function ClientFields({ draft, onChange, invalid, today }: Props) {
  const set = (key: keyof ClientDraft) => (e: { target: { value: string } }) => onChange({ ...draft, [key]: e.target.value });
  return (
    <>
      <Field label="Legal name" value={draft.legalName} onChange={set('legalName')} required aria-invalid={invalid('legalName')} autoComplete="off" />
      <div className="field-pair">
        <Field
          label="Preferred name"
          hint="If different from the legal name."
          value={draft.preferredName}
          onChange={set('preferredName')}
          aria-invalid={invalid('preferredName')}
          autoComplete="off"
        />
        <Field label="Pronouns" hint="For example she/her or they/them." value={draft.pronouns} onChange={set('pronouns')} aria-invalid={invalid('pronouns')} autoComplete="off" />
      </div>
      <div className="field-pair">
        <Field label="Date of birth" hint="Tells clients with the same name apart." type="date" max={today} value={draft.dateOfBirth} onChange={set('dateOfBirth')} aria-invalid={invalid('dateOfBirth')} />
        <Field
          label="Phone"
          type="tel"
          hint="Any format, such as (415) 555-0142."
          value={draft.phone}
          onChange={set('phone')}
          aria-invalid={invalid('phone')}
          autoComplete="off"
        />
      </div>
      <Field label="Email" type="email" value={draft.email} onChange={set('email')} aria-invalid={invalid('email')} autoComplete="off" />
      <TextArea label="Address" value={draft.address} onChange={set('address')} aria-invalid={invalid('address')} autoComplete="off" rows={2} />
    </>
  );
}
