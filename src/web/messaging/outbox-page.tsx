// The outbox: every message the practice sent or will send to clients, with its status.
// With the development transport, this is where "sent" messages can be read.
import { useEffect, useState } from 'react';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { useMe } from '../session.tsx';
import { formatDateTime } from '../time.ts';
import { Loading, ProblemAlert, usePageTitle } from '../ui.tsx';
import { CHANNEL_NAMES, statusText, TEMPLATE_NAMES, type OutboxEntry } from './messages.ts';

export function OutboxPage() {
  usePageTitle('Outbox');
  const me = useMe();
  const timeZone = me.practice.timeZone;
  const [messages, setMessages] = useState<OutboxEntry[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<{ messages: OutboxEntry[] }>('/api/messaging/outbox', { signal: ctrl.signal })
      .then((r) => {
        setMessages(r.messages);
        setProblem(null);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, [version]);

  return (
    <div className="outbox-page">
      <h1>Outbox</h1>
      <p className="lede">
        Messages to clients, newest first. While the practice uses the development transport, messages are not sent anywhere: they are shown here instead.
      </p>
      <p>
        <button type="button" className="secondary" onClick={() => setVersion((v) => v + 1)}>
          Refresh
        </button>
      </p>
      <ProblemAlert problem={problem} />
      {messages === null ? (
        !problem && <Loading what="Loading the outbox…" />
      ) : messages.length === 0 ? (
        <p className="muted">No messages yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="outbox" aria-label="Messages to clients">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">To</th>
                <th scope="col">Channel</th>
                <th scope="col">Template</th>
                <th scope="col">Status</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td className="when">{formatDateTime(m.sentAt ?? m.createdAt, timeZone)}</td>
                  <td>
                    {m.clientName}
                    <br />
                    <span className="muted">{m.toAddress}</span>
                  </td>
                  <td>
                    {CHANNEL_NAMES[m.channel]}
                    {m.transport === 'development' && <span className="muted"> (development)</span>}
                  </td>
                  <td>{TEMPLATE_NAMES[m.template] ?? m.template}</td>
                  <td>
                    {statusText(m, (iso) => formatDateTime(iso, timeZone))}
                    {m.lastError && m.status !== 'sent' && m.status !== 'delivered' && <span className="muted"> — {m.lastError}</span>}
                  </td>
                  <td className="message-body">
                    {m.subject && <strong>{m.subject}</strong>}
                    <span style={{ whiteSpace: 'pre-wrap', display: 'block' }}>{m.body}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
