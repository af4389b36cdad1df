// "Offline — 3 actions will be sent when the connection returns", and what the server refused.
import type { RunState } from '../../domain/protocols/run.ts';
import type { OutboxItem } from '../offline/outbox.ts';
import { outbox, useOutbox } from '../offline/outbox.ts';
import { ProblemAlert } from '../ui.tsx';
import type { IncidentDetail, RunEventBody } from './incident-types.ts';
import { incidentIdOf } from './incident-view.ts';
import { stepName } from './words.ts';

function actions(n: number): string {
  return n === 1 ? '1 action' : `${n} actions`;
}

/** Shown while anything waits in the outbox; one polite live region, so changes are announced. */
export function ConnectionBanner() {
  const { pending, online } = useOutbox();
  let content = null;
  if (!online) {
    content = (
      <div className="notice offline-banner">
        <p>
          <span className="strong">Offline</span>
          {pending > 0 ? ` — ${actions(pending)} will be sent when the connection returns.` : ' — what you record is kept here and sent when the connection returns.'}
        </p>
      </div>
    );
  } else if (pending > 0) {
    content = <p className="muted sending-line">Sending {actions(pending)}…</p>;
  }
  return (
    <div role="status" className="connection-status">
      {content}
    </div>
  );
}

/** What an outbox item was, in the clinician's words. */
function describeItem(item: OutboxItem, detail: IncidentDetail | null, discreet: boolean): string {
  if (item.path === '/api/incidents') return 'Opening the incident';
  if (item.path.endsWith('/notes')) return 'A note';
  if (item.path.endsWith('/pages')) return 'Asking for help';
  const body = item.body as RunEventBody | undefined;
  const action = body?.action;
  if (!action) return 'An action';
  if (action.type === 'complete') return 'Completing the protocol';
  const runId = /\/runs\/([^/]+)\/events$/.exec(item.path)?.[1];
  const state: RunState | undefined = detail?.runs.find((r) => encodeURIComponent(r.id) === runId)?.state;
  const step = state?.definition.steps.find((s) => s.id === action.stepId);
  return step ? `“${stepName(step, discreet)}”` : 'A step';
}

/** Writes for this incident that the server refused, each with its reason; dismissable. */
export function RefusedWrites({ incidentId, detail, discreet }: { incidentId: string; detail: IncidentDetail | null; discreet: boolean }) {
  const { failed } = useOutbox();
  const mine = failed.filter((f) => incidentIdOf(f.item) === incidentId);
  if (mine.length === 0) return null;
  return (
    <div className="refused-writes">
      {mine.map((f) => (
        <div key={f.item.id} className="refused-write">
          <p className="strong">{describeItem(f.item, detail, discreet)} was not accepted:</p>
          <ProblemAlert problem={f.problem} />
          <button type="button" className="secondary" onClick={() => outbox().dismiss(f.item.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
