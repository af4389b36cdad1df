import { useState, type FormEvent } from 'react';
import { request } from '../api.ts';
import { Field, ProblemAlert } from '../ui.tsx';
import { CONSENT_SCOPES, clientPath, type ConsentScope, type EmergencyContact } from './client.ts';
import { fieldProblem, SelectField, TextArea, useSubmit, type FieldLabels } from './client-form.tsx';
import { formatPhone } from './format.ts';

interface ContactDraft {
  name: string;
  relationship: string;
  phone: string;
  secondPhone: string;
  /** Numbers beyond the second, kept as they are when editing. */
  morePhones: string[];
  priority: string;
  mayBeTold: string;
  consentScope: ConsentScope;
  consentGivenOn: string;
  consentExpiresOn: string;
}

const LABELS: FieldLabels = {
  name: 'Name',
  relationship: 'Relationship',
  phones: 'Phone',
  'phones.0': 'Phone',
  'phones.1': 'Second phone',
  priority: 'Priority',
  mayBeTold: 'What they may be told',
  consentScope: 'Consent',
  consentGivenOn: 'Consent date',
  consentExpiresOn: 'Consent expires',
};

function draftOf(c: EmergencyContact | null, priority: number, today: string): ContactDraft {
  if (!c) {
    return {
      name: '', relationship: '', phone: '', secondPhone: '', morePhones: [], priority: String(priority),
      mayBeTold: '', consentScope: 'emergency', consentGivenOn: today, consentExpiresOn: '',
    };
  }
  const [first = '', second = '', ...more] = c.phones;
  return {
    name: c.name, relationship: c.relationship, phone: formatPhone(first), secondPhone: second ? formatPhone(second) : '', morePhones: more,
    priority: String(c.priority), mayBeTold: c.mayBeTold, consentScope: c.consentScope,
    consentGivenOn: c.consentGivenOn ?? '', consentExpiresOn: c.consentExpiresOn ?? '',
  };
}

function check(d: ContactDraft) {
  const errors: { path: string; message: string }[] = [];
  if (!d.name.trim()) errors.push({ path: 'name', message: 'Enter the contact’s name' });
  if (!d.relationship.trim()) errors.push({ path: 'relationship', message: 'Say how they know the client, for example Sister' });
  if (!d.phone.trim()) errors.push({ path: 'phones.0', message: 'Enter a phone number' });
  const priority = Number(d.priority);
  if (!Number.isInteger(priority) || priority < 1 || priority > 99) errors.push({ path: 'priority', message: 'Use a whole number from 1 (call first) to 99' });
  if (d.consentScope !== 'none' && !d.consentGivenOn) errors.push({ path: 'consentGivenOn', message: 'Enter the date the client gave consent' });
  if (d.consentGivenOn && d.consentExpiresOn && d.consentExpiresOn < d.consentGivenOn) {
    errors.push({ path: 'consentExpiresOn', message: 'Consent cannot expire before it was given' });
  }
  return errors;
}

function bodyOf(d: ContactDraft) {
  const withConsent = d.consentScope !== 'none';
  return {
    name: d.name.trim(),
    relationship: d.relationship.trim(),
    phones: [d.phone, d.secondPhone, ...d.morePhones].map((p) => p.trim()).filter(Boolean),
    priority: Number(d.priority),
    mayBeTold: d.mayBeTold.trim(),
    consentScope: d.consentScope,
    consentGivenOn: withConsent ? d.consentGivenOn || null : null,
    consentExpiresOn: withConsent ? d.consentExpiresOn || null : null,
  };
}

interface Props {
  clientId: string;
  /** The contact being changed, or null to add one. */
  contact: EmergencyContact | null;
  nextPriority: number;
  today: string;
  onSaved: (name: string) => void;
  onCancel?: () => void;
}

/** Add or change an emergency contact: who, how to reach them, what they may be told, and the consent. */
export function ContactForm({ clientId, contact, nextPriority, today, onSaved, onCancel }: Props) {
  const [draft, setDraft] = useState(() => draftOf(contact, nextPriority, today));
  const { busy, problem, status, run, fail, invalid } = useSubmit(LABELS);
  const set = (key: keyof ContactDraft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));
  const withConsent = draft.consentScope !== 'none';

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const errors = check(draft);
    if (errors.length > 0) {
      fail(fieldProblem('Some details need another look:', errors));
      return;
    }
    const body = bodyOf(draft);
    const ok = await run(async () => {
      if (contact) {
        await request<void>('PATCH', `${clientPath(clientId)}/emergency-contacts/${encodeURIComponent(contact.id)}`, { body });
      } else {
        await request<{ id: string }>('POST', `${clientPath(clientId)}/emergency-contacts`, { body });
      }
    }, `Contact ${body.name} saved.`);
    if (ok) {
      if (!contact) setDraft(draftOf(null, body.priority + 1, today));
      onSaved(body.name);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="stack" aria-busy={busy} aria-label={contact ? `Change ${contact.name}` : 'Add emergency contact'}>
      <div className="field-pair">
        <Field label="Name" hint="First and last name." value={draft.name} onChange={set('name')} required aria-invalid={invalid('name')} autoComplete="off" />
        <Field
          label="Relationship"
          hint="For example Sister, Partner, Friend."
          value={draft.relationship}
          onChange={set('relationship')}
          required
          aria-invalid={invalid('relationship')}
          autoComplete="off"
        />
      </div>
      <div className="field-pair">
        <Field label="Phone" hint="Any common format." type="tel" value={draft.phone} onChange={set('phone')} required aria-invalid={invalid('phones.0') ?? invalid('phones')} autoComplete="off" />
        <Field label="Second phone" hint="Optional." type="tel" value={draft.secondPhone} onChange={set('secondPhone')} aria-invalid={invalid('phones.1')} autoComplete="off" />
      </div>
      <Field
        label="Priority"
        hint="1 is called first."
        type="number"
        inputMode="numeric"
        min={1}
        max={99}
        value={draft.priority}
        onChange={set('priority')}
        aria-invalid={invalid('priority')}
        className="field-short"
      />
      <TextArea
        label="What they may be told"
        hint="In the client's words where possible, for example “That I am safe and where I am, nothing about therapy.”"
        value={draft.mayBeTold}
        onChange={set('mayBeTold')}
        aria-invalid={invalid('mayBeTold')}
      />
      <SelectField label="Consent" value={draft.consentScope} onChange={set('consentScope')} aria-invalid={invalid('consentScope')}>
        {CONSENT_SCOPES.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </SelectField>
      {withConsent && (
        <div className="field-pair">
          <Field label="Consent date" hint="The day the client agreed." type="date" max={today} value={draft.consentGivenOn} onChange={set('consentGivenOn')} required aria-invalid={invalid('consentGivenOn')} />
          <Field
            label="Consent expires"
            hint="Optional. Leave empty if it does not expire."
            type="date"
            value={draft.consentExpiresOn}
            onChange={set('consentExpiresOn')}
            aria-invalid={invalid('consentExpiresOn')}
          />
        </div>
      )}
      <ProblemAlert problem={problem} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Save contact
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
        {!contact && <p role="status" className="saved-status">{status}</p>}
      </div>
    </form>
  );
}
