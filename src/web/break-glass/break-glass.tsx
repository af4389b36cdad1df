import { useState, type FormEvent } from 'react';
import { api, problemOf, type Problem } from '../api.ts';
import { can, useMe } from '../session.tsx';
import { ProblemAlert, TextArea } from '../ui.tsx';

import type { BreakGlassGrant } from './read-only.tsx';

export type { BreakGlassGrant };

const MIN_REASON = 10;

function timeOf(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone }).format(new Date(iso));
}

/**
 * Shown on "client not found" to clinicians: open the record in an emergency, after
 * saying why. The warning says plainly what happens: read-only, time-limited, audited,
 * and the care team and their supervisors are told.
 */
export function BreakGlassForm({ clientId, onGranted }: { clientId: string; onGranted: () => void }) {
  const me = useMe();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  if (!can(me, 'client.break_glass')) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (reason.trim().length < MIN_REASON) {
      setProblem({ status: 400, detail: `Say why you need this record now, in at least ${MIN_REASON} characters.` });
      return;
    }
    setBusy(true);
    try {
      await api.post(`/api/clients/${encodeURIComponent(clientId)}/break-glass`, { reason: reason.trim() });
      onGranted();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <section className="panel break-glass" aria-labelledby="break-glass-heading">
        <h2 id="break-glass-heading">In an emergency</h2>
        <p>If this is a client in crisis and their care team cannot be reached, you can open their record for one hour.</p>
        <button type="button" className="secondary" onClick={() => setOpen(true)}>Break the glass…</button>
      </section>
    );
  }
  return (
    <section className="panel break-glass" aria-labelledby="break-glass-heading">
      <h2 id="break-glass-heading">Break the glass</h2>
      <div className="alert" role="note">
        <p><strong>Use this only in an emergency.</strong> You are not on this client's care team.</p>
        <ul>
          <li>You will be able to read the record, not change it, for 60 minutes.</li>
          <li>Your reason and every page you open are written to the audit trail.</li>
          <li>The client's clinician and their supervisor are told at once that you opened it.</li>
        </ul>
      </div>
      <form onSubmit={submit} noValidate>
        <TextArea
          label="Why do you need this record now?"
          hint={`At least ${MIN_REASON} characters, e.g. "Client called the after-hours line in crisis; their clinician is unreachable."`}
          value={reason}
          onChange={(e) => { setReason(e.target.value); setProblem(null); }}
          maxLength={2000}
          required
        />
        <ProblemAlert problem={problem} />
        <div className="break-glass-actions">
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Opening…' : 'Break the glass and open the record'}</button>
          <button type="button" className="secondary" onClick={() => { setOpen(false); setProblem(null); }}>Cancel</button>
        </div>
      </form>
    </section>
  );
}

/** While a break-glass grant lasts: a banner on the client's record saying so, and until when. */
export function BreakGlassBanner({ grant }: { grant: BreakGlassGrant }) {
  const me = useMe();
  return (
    <div className="alert break-glass-banner" role="status">
      <p>
        <strong>Break-glass access</strong>, read-only, until {timeOf(grant.expiresAt, me.practice.timeZone)}. Every page you open is audited;
        the care team has been told.
      </p>
      <p className="muted">Your reason: {grant.reason}</p>
    </div>
  );
}
