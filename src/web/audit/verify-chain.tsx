import { useState } from 'react';
import { api, problemOf, type Problem } from '../api.ts';
import { ProblemAlert } from '../ui.tsx';

interface Verification {
  ok: boolean;
  checked: number;
  firstBroken: { seq: number; reason: string } | null;
}

/** Checks that no audit event has been changed or removed. */
export function VerifyChain() {
  const [result, setResult] = useState<Verification | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function verify() {
    setBusy(true);
    setProblem(null);
    setResult(null);
    try {
      setResult(await api.get<Verification>('/api/audit/verify'));
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  const count = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'event' : 'events'}`;

  return (
    <section aria-labelledby="verify-heading" className="panel">
      <h2 id="verify-heading">Check the audit trail</h2>
      <p>Confirms that no event has been changed or removed since it was recorded.</p>
      <button type="button" className="secondary" onClick={() => void verify()} disabled={busy}>
        Verify chain
      </button>
      {busy && <p role="status" className="muted">Checking…</p>}
      <ProblemAlert problem={problem} />
      {result?.ok && (
        <div role="status" className="notice">
          <p>The audit trail is intact. {count(result.checked)} checked.</p>
        </div>
      )}
      {result && !result.ok && (
        <div role="alert" className="alert">
          <p>
            The audit trail does not check out
            {result.firstBroken ? ` from event ${result.firstBroken.seq}: ${result.firstBroken.reason}` : ''}.{' '}
            {count(result.checked)} checked. Contact your Holdspace administrator.
          </p>
        </div>
      )}
    </section>
  );
}
