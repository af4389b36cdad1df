/**
 * The emergency control (DESIGN.md, "Screens: Session"; issue 4 item 2): always on screen,
 * in the same place, with its shortcut printed on it. One press (or Alt+E) opens the list
 * of emergencies; the first is focused, so Enter chooses it. Choosing one opens the
 * incident at once, without waiting for the network, and goes to it.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, problemOf, type Problem } from '../api.ts';
import { openIncident } from '../incident/open-incident.ts';
import { ProblemAlert } from '../ui.tsx';
import { useDiscreetMode } from './discreet.ts';
import { useProtocolChoices, type ProtocolChoice } from './protocol-titles.ts';

export const EMERGENCY_SHORTCUT = 'Alt+E';

interface Props {
  clientId: string;
  sessionId: string | null;
  /** An incident already open for this session: "Ask for help" pages through it. */
  openIncidentId?: string | null;
}

function isShortcut(e: KeyboardEvent): boolean {
  // e.code: on a Mac, Option+E types a dead key, but the key pressed is still E.
  return e.altKey && !e.ctrlKey && !e.metaKey && (e.code === 'KeyE' || (e.key ?? '').toLowerCase() === 'e');
}

function incidentPage(incidentId: string): string {
  return `/incidents/${encodeURIComponent(incidentId)}`;
}

export function EmergencyControl({ clientId, sessionId, openIncidentId = null }: Props) {
  const [discreet] = useDiscreetMode();
  const choices = useProtocolChoices();
  const navigate = useNavigate();
  const dialog = useRef<HTMLDialogElement>(null);
  const first = useRef<HTMLButtonElement>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [paging, setPaging] = useState(false);
  const headingId = useId();

  const open = useCallback(() => {
    const d = dialog.current;
    if (!d || d.open) return;
    setProblem(null);
    d.showModal();
    first.current?.focus();
  }, []);

  useEffect(() => {
    function onKeyDown(e: KeyboardEvent) {
      if (!isShortcut(e)) return;
      e.preventDefault();
      open();
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [open]);

  function choose(p: ProtocolChoice) {
    try {
      const { incidentId } = openIncident({ clientId, sessionId, protocolKey: p.key, discreet });
      dialog.current?.close();
      navigate(incidentPage(incidentId));
    } catch {
      setProblem({
        status: 0,
        detail: discreet ? "That didn't open. Try again." : "The protocol didn't open. Try again; the numbers to call are on the session screen.",
      });
    }
  }

  async function askForHelp(incidentId: string) {
    setPaging(true);
    setProblem(null);
    try {
      await api.post(`/api/incidents/${encodeURIComponent(incidentId)}/pages`, { reason: 'Asked for help from the session' });
      dialog.current?.close();
      navigate(incidentPage(incidentId));
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setPaging(false);
    }
  }

  const label = discreet ? 'Options' : 'Emergency';
  return (
    <>
      <button
        type="button"
        className={discreet ? 'emergency-button emergency-discreet' : 'emergency-button'}
        aria-haspopup="dialog"
        aria-keyshortcuts={EMERGENCY_SHORTCUT}
        onClick={open}
      >
        {label} <span className="emergency-shortcut">({EMERGENCY_SHORTCUT})</span>
      </button>
      <dialog ref={dialog} className="emergency-dialog" aria-labelledby={headingId} onClose={() => setProblem(null)}>
        <h2 id={headingId}>{discreet ? 'Options' : 'What is happening?'}</h2>
        <p className="hint">{discreet ? 'Choose one.' : 'Choose one. Its steps open at once, and help is paged when it is needed.'}</p>
        <ul className="emergency-choices">
          {choices.map((p, i) => (
            <li key={p.key}>
              <button ref={i === 0 ? first : undefined} type="button" className="emergency-choice" onClick={() => choose(p)}>
                {discreet ? p.discreetTitle : p.title}
              </button>
            </li>
          ))}
        </ul>
        {openIncidentId && (
          <button type="button" className="secondary emergency-help" disabled={paging} onClick={() => void askForHelp(openIncidentId)}>
            {discreet ? 'Ask a colleague to join' : 'Ask for help (page my supervisor)'}
          </button>
        )}
        <ProblemAlert problem={problem} />
        <div className="row emergency-dialog-foot">
          <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
            Close
          </button>
        </div>
      </dialog>
    </>
  );
}
