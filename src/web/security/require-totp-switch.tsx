import { useState } from 'react';
import { api, problemOf, type Problem } from '../api.ts';
import { useMe, useSession } from '../session.tsx';
import { ProblemAlert } from '../ui.tsx';

/** Owner's practice-wide switch: everyone must use a second factor. */
export function RequireTotpSwitch() {
  const me = useMe();
  const { refreshMe } = useSession();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState('');
  // Show the new position straight away; fall back to the saved one if saving fails.
  const [pending, setPending] = useState<boolean | null>(null);
  const on = pending ?? me.practice.requireTotp;

  async function toggle(next: boolean) {
    setBusy(true);
    setPending(next);
    setProblem(null);
    setSaved('');
    try {
      await api.put('/api/practice/security', { requireTotp: next });
      await refreshMe();
      setSaved(next ? 'Saved. Everyone will need a second factor.' : 'Saved. A second factor is now optional.');
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setPending(null);
      setBusy(false);
    }
  }

  return (
    <div className="stack">
      <div className="switch-row">
        <input
          id="require-totp"
          type="checkbox"
          role="switch"
          className="switch"
          checked={on}
          aria-disabled={busy || undefined}
          aria-describedby="require-totp-hint"
          onChange={(e) => {
            if (!busy) void toggle(e.target.checked);
          }}
        />
        <label htmlFor="require-totp">Require a second factor for everyone</label>
      </div>
      <p id="require-totp-hint" className="hint">
        When this is on, anyone without an authenticator app is asked to set one up before they can use Holdspace.
      </p>
      <ProblemAlert problem={problem} />
      <p role="status" className="muted">
        {saved}
      </p>
    </div>
  );
}
