import { useRef, useState } from 'react';
import { api } from '../api.ts';
import { ProblemAlert } from '../ui.tsx';
import { clientPath, type ClientDetails } from './client.ts';
import { SavedStatus, useSubmit } from './client-form.tsx';

/** Archive (or restore) the client: they leave the list, the record is kept. */
export function ArchivePanel({ client, onSaved }: { client: ClientDetails; onSaved: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const { busy, problem, status, run } = useSubmit();
  const trigger = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  async function setArchived(archived: boolean) {
    const ok = await run(
      () => api.post<void>(`${clientPath(client.id)}/archive`, { archived }),
      archived ? `${client.name} is archived.` : `${client.name} is restored.`,
    );
    if (ok) {
      setConfirming(false);
      onSaved();
      heading.current?.focus();
    }
  }

  return (
    <section aria-labelledby="archive-heading" className="panel" id="archive">
      <h2 id="archive-heading" ref={heading} tabIndex={-1}>
        Archive
      </h2>
      {client.archived ? (
        <>
          <p>This client is archived. Restore them to bring them back to the client list.</p>
          <button type="button" className="secondary" disabled={busy} onClick={() => void setArchived(false)}>
            Restore client
          </button>
        </>
      ) : (
        <>
          <p>When you stop seeing this client, archive them. Nothing is deleted.</p>
          <button
            ref={trigger}
            type="button"
            className="secondary"
            aria-expanded={confirming}
            aria-controls="archive-confirm"
            onClick={() => setConfirming((c) => !c)}
          >
            Archive client
          </button>
          <div id="archive-confirm" className="confirm" role="group" aria-labelledby="archive-confirm-text" hidden={!confirming}>
            <p id="archive-confirm-text">
              Archive {client.name}? They will leave the client list. Their record is kept and can be restored.
            </p>
            <div className="row">
              <button type="button" className="primary" disabled={busy} onClick={() => void setArchived(true)}>
                Yes, archive client
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setConfirming(false);
                  trigger.current?.focus();
                }}
              >
                Cancel
              </button>
            </div>
          </div>
        </>
      )}
      <ProblemAlert problem={problem} />
      <SavedStatus text={status} />
    </section>
  );
}
