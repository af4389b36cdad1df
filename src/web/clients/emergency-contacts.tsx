import { useRef, useState } from 'react';
import { PhoneLinks } from './phone-links.tsx';
import { request } from '../api.ts';
import { ProblemAlert } from '../ui.tsx';
import { clientPath, type EmergencyContact } from './client.ts';
import { SavedStatus, useSubmit } from './client-form.tsx';
import { consentWords } from './consent.ts';
import { useReadOnly } from '../break-glass/read-only.tsx';
import { ContactForm } from './contact-form.tsx';

interface CardProps {
  clientId: string;
  contact: EmergencyContact;
  today: string;
  onChanged: () => void;
  onRemoved: (name: string) => void;
}

function ContactCard({ clientId, contact, today, onChanged, onRemoved }: CardProps) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const remove = useSubmit();
  const [saved, setSaved] = useState('');
  const editButton = useRef<HTMLButtonElement>(null);
  const removeButton = useRef<HTMLButtonElement>(null);
  const confirmId = `remove-${contact.id}`;
  const consent = consentWords(contact);
  const headingId = `contact-${contact.id}`;
  const readOnly = useReadOnly();

  function closeEditor() {
    setEditing(false);
    window.setTimeout(() => editButton.current?.focus(), 0);
  }

  return (
    <li className="card contact-card" aria-labelledby={headingId}>
      <div className="contact-head">
        <h3 id={headingId}>{contact.name}</h3>
        <span className="muted">
          Priority {contact.priority} · {contact.relationship}
        </span>
      </div>
      <PhoneLinks name={contact.name} phones={contact.phones} />
      <dl className="facts compact">
        <dt>May be told</dt>
        <dd>{contact.mayBeTold || <span className="muted">Nothing recorded</span>}</dd>
        <dt>Consent</dt>
        <dd>
          {consent.expired && <span className="chip chip-gap">Consent expired</span>} {consent.text}
        </dd>
      </dl>
      {readOnly ? null : editing ? (
        <ContactForm
          clientId={clientId}
          contact={contact}
          nextPriority={contact.priority}
          today={today}
          onSaved={(name) => {
            setSaved(`Contact ${name} saved.`);
            closeEditor();
            onChanged();
          }}
          onCancel={closeEditor}
        />
      ) : (
        <>
          <div className="row">
            <button
              ref={editButton}
              type="button"
              className="secondary"
              aria-label={`Change ${contact.name}`}
              onClick={() => {
                setSaved('');
                setConfirming(false);
                setEditing(true);
              }}
            >
              Change
            </button>
            <button
              ref={removeButton}
              type="button"
              className="secondary"
              aria-label={`Remove ${contact.name}`}
              aria-expanded={confirming}
              aria-controls={confirmId}
              onClick={() => setConfirming((c) => !c)}
            >
              Remove
            </button>
          </div>
          <div id={confirmId} className="confirm" role="group" aria-labelledby={`${confirmId}-text`} hidden={!confirming}>
            <p id={`${confirmId}-text`}>Remove {contact.name} from the emergency contacts? This cannot be undone.</p>
            <ProblemAlert problem={remove.problem} />
            <div className="row">
              <button
                type="button"
                className="primary"
                disabled={remove.busy}
                onClick={() =>
                  void remove
                    .run(() => request<void>('DELETE', `${clientPath(clientId)}/emergency-contacts/${encodeURIComponent(contact.id)}`), 'Removed.')
                    .then((ok) => ok && onRemoved(contact.name))
                }
              >
                Yes, remove
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setConfirming(false);
                  removeButton.current?.focus();
                }}
              >
                Keep contact
              </button>
            </div>
          </div>
        </>
      )}
      <SavedStatus text={saved} />
    </li>
  );
}

interface Props {
  clientId: string;
  contacts: EmergencyContact[];
  today: string;
  onChanged: () => void;
}

export function EmergencyContacts({ clientId, contacts, today, onChanged }: Props) {
  const readOnly = useReadOnly();
  const [removed, setRemoved] = useState('');
  const ordered = [...contacts].sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
  const nextPriority = Math.min(99, (ordered.at(-1)?.priority ?? 0) + 1);

  return (
    <section aria-labelledby="contacts-heading" className="panel" id="contacts">
      <h2 id="contacts-heading" tabIndex={-1}>Emergency contacts</h2>
      {ordered.length === 0 ? (
        <p>No emergency contacts yet. Ask the client who we may call if they are in danger, and what that person may be told.</p>
      ) : (
        <>
          <p className="muted">In the order to call them.</p>
          <ol className="contact-list">
            {ordered.map((c) => (
              <ContactCard
                key={c.id}
                clientId={clientId}
                contact={c}
                today={today}
                onChanged={() => {
                  setRemoved('');
                  onChanged();
                }}
                onRemoved={(name) => {
                  setRemoved(`${name} removed from the emergency contacts.`);
                  onChanged();
                  // The card is gone; keep the keyboard in this section.
                  window.setTimeout(() => document.getElementById('contacts-heading')?.focus(), 0);
                }}
              />
            ))}
          </ol>
        </>
      )}
      <SavedStatus text={removed} />
      {!readOnly && <section aria-labelledby="add-contact-heading" className="subpanel">
        <h3 id="add-contact-heading">Add emergency contact</h3>
        <ContactForm
          clientId={clientId}
          contact={null}
          nextPriority={nextPriority}
          today={today}
          onSaved={() => {
            setRemoved('');
            onChanged();
          }}
        />
      </section>}
    </section>
  );
}
