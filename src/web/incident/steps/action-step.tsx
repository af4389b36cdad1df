// An action step: what to do (the number to call, whom to contact, what to record), then
// "Done". Paging and switching protocol are one button: the server does the rest.
import { PhoneLinks } from '../../clients/phone-links.tsx';
import { useState } from 'react';
import { formatPhone, telHref } from '../../clients/format.ts';
import { cachedProtocol } from '../../offline/protocols.ts';
import type { IncidentContact, IncidentDetail } from '../incident-types.ts';
import { protocolName } from '../words.ts';
import { ActionDoneForm, EMPTY_DISCLOSURE, type DisclosureDraft } from './action-done-form.tsx';
import type { StepProps } from './step-props.ts';

export function ActionStep(props: StepProps<'action'>) {
  const { step, act, discreet, run } = props;
  const basis = step.legalBasis;
  switch (step.action) {
    case 'call_emergency_services':
      return (
        <>
          <EmergencyNumbers detail={props.detail} />
          <ActionDoneForm stepId={step.id} act={act} label="Done: called" disclosure="offered" legalBasis={basis} />
        </>
      );
    case 'contact_emergency_contact':
      return <ContactEmergencyContact {...props} />;
    case 'record_disclosure':
      return <ActionDoneForm stepId={step.id} act={act} label="Record disclosure" disclosure="required" legalBasis={basis} />;
    case 'contact_client':
      return (
        <>
          <CallbackNumber detail={props.detail} />
          <ActionDoneForm stepId={step.id} act={act} label="Done" disclosure="none" />
        </>
      );
    case 'page_supervisor':
      return (
        <div className="step-form">
          <p className="hint">Holdspace pages your supervisor, then the next people in your practice's escalation, until someone acknowledges.</p>
          <button type="button" className="primary step-go" onClick={() => act({ type: 'mark_done', stepId: step.id })}>
            {discreet ? 'Ask a colleague' : 'Page supervisor'}
          </button>
        </div>
      );
    case 'start_protocol': {
      const target = step.protocol ? cachedProtocol(step.protocol) : undefined;
      const title = target ? protocolName(target, discreet) : (step.protocol ?? 'the next protocol');
      return (
        <div className="step-form">
          <button type="button" className="primary step-go" onClick={() => act({ type: 'mark_done', stepId: step.id })}>
            Switch to {title}
          </button>
        </div>
      );
    }
    default: {
      const fu = step.followUp;
      const hours = fu ? (typeof fu.dueInHours === 'number' ? fu.dueInHours : run.state.parameters[fu.dueInHours]) : undefined;
      return (
        <>
          {fu && !discreet && (
            <p className="hint">
              Adds the follow-up “{fu.title}”, due in {hours} hours{fu.from === 'run_start' ? ' from the start of this protocol' : ''}.
            </p>
          )}
          {basis && !discreet && <p className="hint legal-basis">Legal basis: {basis}</p>}
          <ActionDoneForm stepId={step.id} act={act} label="Done" disclosure="none" />
        </>
      );
    }
  }
}

function PhoneLink({ phone, label }: { phone: string; label: string }) {
  const shown = formatPhone(phone);
  return (
    <a href={telHref(phone)} className="crisis-phone" aria-label={`Call ${label}, ${shown}`}>
      {shown}
    </a>
  );
}

/** The location's emergency numbers, and where help should go. */
function EmergencyNumbers({ detail }: { detail: IncidentDetail }) {
  const resources = (detail.crisisResources?.resources ?? []).filter((r) => (r.kind === 'emergency' || r.kind === 'mobile_crisis') && r.phone);
  const session = detail.session;
  const where = session?.modality === 'telehealth'
    ? session.clientLocation
    : (session?.location?.address ?? detail.crisisResources?.address ?? null);
  return (
    <div className="step-info">
      <ul className="crisis-list step-numbers" aria-label="Numbers to call">
        {resources.length > 0 ? (
          resources.map((r) => (
            <li key={`${r.kind}-${r.phone}`} className="crisis-resource">
              <span className="crisis-label">{r.label}</span>
              <PhoneLink phone={r.phone!} label={r.label} />
            </li>
          ))
        ) : (
          <li className="crisis-resource">
            <span className="crisis-label">Emergency services</span>
            <PhoneLink phone="911" label="Emergency services" />
            <span className="hint">The location's own numbers show once Holdspace is reachable.</span>
          </li>
        )}
      </ul>
      {where && (
        <p>
          <span className="strong">{session?.modality === 'telehealth' ? "Client's confirmed location: " : 'Address: '}</span>
          <span className="address">{where}</span>
        </p>
      )}
      {session?.modality === 'telehealth' && session.callbackPhone && (
        <p>
          <span className="strong">Callback number: </span>
          {formatPhone(session.callbackPhone)}
        </p>
      )}
    </div>
  );
}

function CallbackNumber({ detail }: { detail: IncidentDetail }) {
  const phone = detail.session?.callbackPhone;
  if (!phone) return <p className="hint">Use the channel the client agreed to; their details are on the client page.</p>;
  return (
    <div className="step-info">
      <span className="crisis-label">Callback number</span> <PhoneLink phone={phone} label="the client's callback number" />
    </div>
  );
}

const CONSENT: Record<string, string> = {
  emergency: 'May be called in an emergency',
  ask_at_time: 'Ask the client first',
  none: 'No consent on file',
};

function ContactEmergencyContact({ step, act, detail }: StepProps<'action'>) {
  const [draft, setDraft] = useState<DisclosureDraft>(EMPTY_DISCLOSURE);
  const contacts = detail.emergencyContacts;
  return (
    <>
      {contacts.length === 0 ? (
        <p className="hint">No emergency contacts to show here. They are on the client's page once Holdspace is reachable.</p>
      ) : (
        <ul className="contact-list step-contacts">
          {contacts.map((c) => (
            <ContactItem key={c.id} contact={c} onRecord={() => setDraft({ recipientName: c.name, recipientContact: c.phones[0] ?? '', whatWasSaid: '' })} />
          ))}
        </ul>
      )}
      <ActionDoneForm stepId={step.id} act={act} label="Done: contacted" disclosure="offered" legalBasis={step.legalBasis} draft={draft} onDraft={setDraft} />
    </>
  );
}

function ContactItem({ contact, onRecord }: { contact: IncidentContact; onRecord: () => void }) {
  return (
    <li className="card contact-card">
      <div className="contact-head">
        <h4 className="contact-name">{contact.name}</h4>
        <span className="muted">{contact.relationship}</span>
      </div>
      <PhoneLinks name={contact.name} phones={contact.phones} />
      <dl className="facts compact">
        <dt>Consent</dt>
        <dd>{CONSENT[contact.consentScope] ?? contact.consentScope}</dd>
        <dt>May be told</dt>
        <dd>{contact.mayBeTold || <span className="muted">Nothing recorded</span>}</dd>
      </dl>
      <div className="row">
        <button type="button" className="secondary" onClick={onRecord}>
          Record the call to {contact.name}
        </button>
      </div>
    </li>
  );
}
