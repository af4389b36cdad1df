import { useState, type FormEvent } from 'react';
import { request } from '../api.ts';
import { Field, ProblemAlert } from '../ui.tsx';
import { CHANNELS, clientPath, type Channel, type ChannelConsent } from './client.ts';
import { fieldProblem, SavedStatus, SelectField, useSubmit, type FieldLabels } from './client-form.tsx';
import { formatDay } from './format.ts';
import { useReadOnly } from '../break-glass/read-only.tsx';

const LABELS: FieldLabels = {
  consent: 'Consent',
  decidedOn: 'Date decided',
  quietHours: 'Quiet hours',
  'quietHours.start': 'Quiet hours from',
  'quietHours.end': 'Quiet hours until',
  mayLeaveMessage: 'A message may be left',
};

function stateWords(c: ChannelConsent | undefined): string[] {
  if (!c) return ['Not asked yet.'];
  if (c.consent === 'refused') return [`Refused on ${formatDay(c.decidedOn)}. Don't follow up this way.`];
  return [
    `Consent given on ${formatDay(c.decidedOn)}.`,
    c.quietHours ? `Quiet hours ${c.quietHours.start} to ${c.quietHours.end}.` : 'No quiet hours.',
    c.mayLeaveMessage ? 'A message may be left.' : "Don't leave a message.",
  ];
}

interface CardProps {
  clientId: string;
  channel: Channel;
  name: string;
  current: ChannelConsent | undefined;
  today: string;
  onSaved: () => void;
}

function ChannelCard({ clientId, channel, name, current, today, onSaved }: CardProps) {
  const [consent, setConsent] = useState<'' | 'given' | 'refused'>(current?.consent ?? '');
  const [decidedOn, setDecidedOn] = useState(current?.decidedOn ?? today);
  const [quietStart, setQuietStart] = useState(current?.quietHours?.start ?? '');
  const [quietEnd, setQuietEnd] = useState(current?.quietHours?.end ?? '');
  const [mayLeaveMessage, setMayLeaveMessage] = useState(current?.mayLeaveMessage ?? false);
  const readOnly = useReadOnly();
  const { busy, problem, status, run, fail, invalid } = useSubmit(LABELS);
  const headingId = `channel-${channel}-heading`;
  const refused = consent === 'refused';

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const errors = [
      ...(consent ? [] : [{ path: 'consent', message: 'Choose whether the client gave consent' }]),
      ...(decidedOn ? [] : [{ path: 'decidedOn', message: 'Enter the date the client decided' }]),
      ...(Boolean(quietStart) !== Boolean(quietEnd) ? [{ path: quietStart ? 'quietHours.end' : 'quietHours.start', message: 'Give both times, or neither' }] : []),
    ];
    if (errors.length > 0) {
      fail(fieldProblem('Some details need another look:', errors));
      return;
    }
    const body = {
      consent,
      decidedOn,
      quietHours: quietStart && quietEnd ? { start: quietStart, end: quietEnd } : null,
      mayLeaveMessage: consent === 'given' && mayLeaveMessage,
    };
    const ok = await run(() => request<void>('PUT', `${clientPath(clientId)}/channels/${channel}`, { body }), `${name} saved.`);
    if (ok) onSaved();
  }

  return (
    <section className="card channel-card" aria-labelledby={headingId}>
      <h3 id={headingId}>{name}</h3>
      <p className="channel-state">{stateWords(current).join(' ')}</p>
      {!readOnly && <form onSubmit={submit} noValidate className="stack" aria-busy={busy}>
        <SelectField label="Consent" value={consent} onChange={(e) => setConsent(e.target.value as typeof consent)} aria-invalid={invalid('consent')}>
          {!current && <option value="">Not recorded</option>}
          <option value="given">Given</option>
          <option value="refused">Refused</option>
        </SelectField>
        <Field label="Date decided" type="date" max={today} value={decidedOn} onChange={(e) => setDecidedOn(e.target.value)} aria-invalid={invalid('decidedOn')} />
        <div className="field-pair">
          <Field label="Quiet hours from" type="time" value={quietStart} onChange={(e) => setQuietStart(e.target.value)} aria-invalid={invalid('quietHours.start')} />
          <Field label="Quiet hours until" type="time" value={quietEnd} onChange={(e) => setQuietEnd(e.target.value)} aria-invalid={invalid('quietHours.end')} />
        </div>
        <label className="check">
          <input type="checkbox" checked={mayLeaveMessage && !refused} disabled={refused} onChange={(e) => setMayLeaveMessage(e.target.checked)} />
          <span>A message may be left</span>
        </label>
        <ProblemAlert problem={problem} />
        <div className="row">
          <button type="submit" className="secondary" disabled={busy}>
            Save channel
          </button>
          <SavedStatus text={status} />
        </div>
      </form>}
    </section>
  );
}

export function ChannelsPanel({ clientId, channels, today, onSaved }: { clientId: string; channels: ChannelConsent[]; today: string; onSaved: () => void }) {
  return (
    <section aria-labelledby="channels-heading" className="panel" id="channels">
      <h2 id="channels-heading">Follow-up channels</h2>
      <p className="muted">How the client agreed to be contacted after a session or an incident, and when not to.</p>
      <div className="cards channel-cards">
        {CHANNELS.map(({ channel, name }) => (
          <ChannelCard
            key={channel}
            clientId={clientId}
            channel={channel}
            name={name}
            current={channels.find((c) => c.channel === channel)}
            today={today}
            onSaved={onSaved}
          />
        ))}
      </div>
    </section>
  );
}
