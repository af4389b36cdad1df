// Where my pages are also texted: a supervisor away from a browser (at night, on the
// road) is still reached. The text says only that a colleague needs help.
import { useEffect, useState, type FormEvent } from 'react';
import { api, problemOf, type Problem } from '../api.ts';
import { Field, ProblemAlert } from '../ui.tsx';

export function PagePhonePanel() {
  const [saved, setSaved] = useState<string | null | undefined>(undefined);
  const [phone, setPhone] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.get<{ phone: string | null }>('/api/me/page-phone').then(
      (r) => { setSaved(r.phone); setPhone(r.phone ?? ''); },
      (err: unknown) => setProblem(problemOf(err)),
    );
  }, []);

  async function save(next: string | null) {
    setBusy(true);
    setProblem(null);
    setStatus('');
    try {
      const r = await api.put<{ phone: string | null }>('/api/me/page-phone', { phone: next });
      setSaved(r.phone);
      setPhone(r.phone ?? '');
      setStatus(r.phone ? `Your pages will also be texted to ${r.phone}.` : 'Your pages reach you in Holdspace only.');
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    void save(phone.trim() === '' ? null : phone.trim());
  };

  return (
    <section className="panel" aria-labelledby="page-phone-heading">
      <h2 id="page-phone-heading">Your pages by text</h2>
      <p className="hint">
        When you are paged, Holdspace also texts this number, at any hour, so a page reaches you away from the browser.
        The text names no client; open Holdspace to see the page and acknowledge it.
      </p>
      {saved === undefined && !problem ? <p className="muted">Loading…</p> : (
        <form onSubmit={submit} noValidate className="stack" aria-busy={busy}>
          <Field label="Mobile number for pages" type="tel" autoComplete="tel" value={phone} onChange={(e) => setPhone(e.target.value)}
            hint="For example (510) 555-0142. Leave empty for pages in Holdspace only." />
          <ProblemAlert problem={problem} />
          <div className="row">
            <button type="submit" className="primary" disabled={busy}>Save</button>
            {saved && <button type="button" onClick={() => void save(null)} disabled={busy}>Stop texting my pages</button>}
          </div>
          <p role="status" className="saved-status">{status}</p>
        </form>
      )}
    </section>
  );
}
