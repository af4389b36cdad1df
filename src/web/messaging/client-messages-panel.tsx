// A client's messages with their delivery status, and "Send a check-in" on a channel the
// client consented to. The preview shows the exact words, and when they will go, first.
import { useEffect, useState, type FormEvent } from 'react';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { subscribeLive } from '../live/live-events.ts';
import { formatDateTime } from '../time.ts';
import { Loading, ProblemAlert, SelectField } from '../ui.tsx';
import { CHANNEL_NAMES, statusText, TEMPLATE_NAMES, type MessageChannel, type MessagePreview, type MessageView, type TemplateKey } from './messages.ts';

interface Props {
  clientId: string;
  /** The client's channel consents (from the safety net): only consented channels are offered. */
  channels: { channel: string; consent: string }[];
  timeZone: string;
  canSend: boolean;
}

export function ClientMessagesPanel({ clientId, channels, timeZone, canSend }: Props) {
  const [messages, setMessages] = useState<MessageView[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [version, setVersion] = useState(0);
  const consented = (['text', 'email'] as const).filter((c) => channels.some((ch) => ch.channel === c && ch.consent === 'given'));

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<{ messages: MessageView[] }>(`/api/clients/${clientId}/messages`, { signal: ctrl.signal })
      .then((r) => {
        setMessages(r.messages);
        setProblem(null);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, [clientId, version]);

  // A message I sent moves on (sent, delivered, failed): show it without a reload.
  useEffect(
    () => subscribeLive<{ clientId?: string }>('message.updated', (data) => {
      if (data.clientId === clientId) setVersion((v) => v + 1);
    }),
    [clientId],
  );

  const when = (iso: string) => formatDateTime(iso, timeZone);
  return (
    <section aria-labelledby="messages-heading" className="panel" id="messages">
      <h2 id="messages-heading">Messages</h2>
      <ProblemAlert problem={problem} />
      {messages === null ? (
        !problem && <Loading what="Loading messages…" />
      ) : messages.length === 0 ? (
        <p className="muted">No messages to this client yet.</p>
      ) : (
        <ul className="message-list">
          {messages.map((m) => (
            <li key={m.id}>
              <p>
                <span className="strong">{TEMPLATE_NAMES[m.template] ?? m.template}</span> by {CHANNEL_NAMES[m.channel].toLowerCase()} to {m.toAddress}
                <span className="muted"> — {when(m.createdAt)}</span>
              </p>
              <p>{statusText(m, when)}</p>
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="secondary" onClick={() => setVersion((v) => v + 1)}>
        Refresh messages
      </button>
      {canSend &&
        (consented.length === 0 ? (
          <p className="muted">The client has not consented to texts or email, so no message can be sent. Record consent under Follow-up channels.</p>
        ) : (
          <SendCheckIn key={consented.join()} clientId={clientId} consented={consented} when={when} onSent={() => setVersion((v) => v + 1)} />
        ))}
    </section>
  );
}

function SendCheckIn({ clientId, consented, when, onSent }: { clientId: string; consented: MessageChannel[]; when: (iso: string) => string; onSent: () => void }) {
  const [channel, setChannel] = useState<MessageChannel>(consented[0]!);
  const [template, setTemplate] = useState<TemplateKey>('check_in');
  const [preview, setPreview] = useState<MessagePreview | null>(null);
  // One id per message being written: a retried send cannot send it twice.
  const [messageId, setMessageId] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');

  useEffect(() => {
    const ctrl = new AbortController();
    setPreview(null);
    api
      .post<MessagePreview>(`/api/clients/${clientId}/messages/preview`, { channel, template }, { signal: ctrl.signal })
      .then(setPreview)
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, [clientId, channel, template]);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    setStatus('');
    try {
      const r = await api.post<{ message: MessageView; heldForQuietHours: boolean }>(`/api/clients/${clientId}/messages`, { id: messageId, channel, template });
      setStatus(r.heldForQuietHours ? `Queued. It will go at ${when(r.message.sendAfter)}, after quiet hours.` : 'Queued to send now.');
      setMessageId(crypto.randomUUID());
      onSent();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="stack send-check-in" aria-busy={busy} aria-labelledby="send-check-in-heading">
      <h3 id="send-check-in-heading">Send a check-in</h3>
      <div className="field-pair">
        <SelectField label="Channel" value={channel} onChange={(e) => setChannel(e.target.value as MessageChannel)}>
          {consented.map((c) => (
            <option key={c} value={c}>
              {CHANNEL_NAMES[c]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Message" value={template} onChange={(e) => setTemplate(e.target.value as TemplateKey)}>
          <option value="check_in">{TEMPLATE_NAMES.check_in}</option>
          <option value="appointment_reminder">{TEMPLATE_NAMES.appointment_reminder}</option>
        </SelectField>
      </div>
      <div className="message-preview" aria-live="polite">
        <h4>What the client will read</h4>
        {preview === null ? (
          <Loading what="Preparing the preview…" />
        ) : (
          <>
            {preview.toAddress && <p className="muted">To {preview.toAddress}</p>}
            {preview.subject && <p className="strong">{preview.subject}</p>}
            <p style={{ whiteSpace: 'pre-wrap' }}>{preview.body}</p>
            {preview.blockedBy ? (
              <p className="alert">{preview.blockedBy.detail}</p>
            ) : (
              preview.heldForQuietHours && preview.sendAfter && <p className="hint">It is quiet hours for this client: the message will go at {when(preview.sendAfter)}.</p>
            )}
          </>
        )}
      </div>
      <ProblemAlert problem={problem} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy || !preview || preview.blockedBy !== null}>
          Send
        </button>
        <p role="status" className="saved-status">
          {status}
        </p>
      </div>
    </form>
  );
}
