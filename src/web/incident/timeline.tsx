// The incident's timeline, oldest first and newest last, live: new lines are announced
// politely (role="log"). In discreet mode it folds behind a neutral "Record".
import { useId } from 'react';
import type { ViewEntry } from './incident-view.ts';
import { clockTime, personName, readableWhat } from './words.ts';

interface Props {
  entries: ViewEntry[];
  discreet: boolean;
  timeZone: string;
  names: Map<string, string>;
}

export function Timeline({ entries, discreet, timeZone, names }: Props) {
  const headingId = useId();
  const list = (
    <ol className="timeline" role="log" aria-live="polite" aria-labelledby={headingId}>
      {entries.map((e) => (
        <li key={e.key} className={e.pending ? `timeline-entry timeline-${e.kind} timeline-pending` : `timeline-entry timeline-${e.kind}`}>
          <time dateTime={e.at} className="timeline-when">
            {clockTime(e.at, timeZone)}
          </time>
          <span className="timeline-who">{e.actor ? personName(names, e.actor.id, e.actor.name || 'You') : 'Holdspace'}</span>
          <span className="timeline-what">{readableWhat(e.what, timeZone)}</span>
          {e.pending && <span className="chip timeline-waiting">Waiting to send</span>}
        </li>
      ))}
    </ol>
  );
  if (discreet) {
    return (
      <section className="panel incident-side-panel">
        <details>
          <summary id={headingId}>Record</summary>
          {list}
        </details>
      </section>
    );
  }
  return (
    <section className="panel incident-side-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Timeline</h2>
      {entries.length === 0 ? <p className="muted">Nothing recorded yet.</p> : list}
    </section>
  );
}
