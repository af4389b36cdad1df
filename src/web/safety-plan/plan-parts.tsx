// Pieces shared by the safety plan editor and the read-only version page.
import { useEffect, useRef, type ReactNode } from 'react';
import { Link } from 'react-router';
import { formatDateTime } from '../time.ts';
import { Loading } from '../ui.tsx';
import { pdfHref, planPage, type PlanVersionSummary } from './plan.ts';

export function PlanNotFound() {
  return (
    <>
      <h1>Client not found</h1>
      <p>There's no client at this address, or you're not on their care team.</p>
      <p>
        <Link to="/clients">Back to clients</Link>
      </p>
    </>
  );
}

/** "Version 3 · saved 12 Mar 2026, 10:04 by Dana Reyes" */
export function savedWords(v: PlanVersionSummary, timeZone: string): string {
  return `saved ${formatDateTime(v.savedAt, timeZone)}${v.savedByName ? ` by ${v.savedByName}` : ''}`;
}

interface HeadProps {
  clientName: string;
  back: { to: string; text: string };
  meta: ReactNode;
  children?: ReactNode;
}

/** Breadcrumb, "Safety plan for …", which version, and the Print / Download PDF actions. */
export function PlanHead({ clientName, back, meta, children }: HeadProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The loading heading had focus after navigation; hand it on to the real one.
  useEffect(() => {
    if (document.activeElement === document.body) heading.current?.focus();
  }, []);
  return (
    <header className="plan-head">
      <p className="breadcrumb">
        <Link to={back.to}>
          <span aria-hidden="true">‹&nbsp;</span>
          {back.text}
        </Link>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        Safety plan for {clientName}
      </h1>
      <p className="plan-meta">{meta}</p>
      {children}
    </header>
  );
}

export function PlanActions({ clientId, pdfVersion, hasSaved, note }: { clientId: string; pdfVersion?: number; hasSaved: boolean; note?: ReactNode }) {
  return (
    <div className="plan-actions">
      <div className="row">
        <button type="button" className="secondary" onClick={() => window.print()}>
          Print
        </button>
        {hasSaved && (
          <a href={pdfHref(clientId, pdfVersion)} className="button-link" download>
            Download PDF
          </a>
        )}
      </div>
      {note && <p className="hint">{note}</p>}
    </div>
  );
}

interface HistoryProps {
  clientId: string;
  versions: PlanVersionSummary[] | null;
  current: number | null;
  timeZone: string;
  /** The version shown on this page, marked as such. */
  showing?: number;
  /** Open versions in a new tab, so edits on this page are kept. */
  newTab?: boolean;
}

export function VersionHistory({ clientId, versions, current, timeZone, showing, newTab = false }: HistoryProps) {
  return (
    <section aria-labelledby="history-heading" className="panel plan-history" id="history">
      <h2 id="history-heading">Version history</h2>
      {versions === null ? (
        <Loading what="Loading the versions…" />
      ) : versions.length === 0 ? (
        <p>No versions yet. The first save becomes version 1.</p>
      ) : (
        <>
          <p className="muted">Every save is kept. Open a version to read it as it was{newTab ? ' (it opens in a new tab, so your work here stays put)' : ''}.</p>
          <ul className="plan-versions">
            {versions.map((v) => (
              <li key={v.version}>
                {v.version === showing ? (
                  <span className="strong" aria-current="page">
                    Version {v.version}
                  </span>
                ) : (
                  <Link
                    to={planPage(clientId, v.version)}
                    className="plan-version-link"
                    {...(newTab ? { target: '_blank', rel: 'noopener' } : {})}
                  >
                    Version {v.version}
                  </Link>
                )}{' '}
                <span className="muted">{savedWords(v, timeZone)}</span>
                {v.version === current && <span className="chip chip-ready">Current</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
