// The client's right of access (HIPAA 45 CFR 164.524): their whole record as one JSON
// file (FHIR R4 bundle, accounting of disclosures, signed incident reports). Psychotherapy
// notes are never in it. The server audits each download.
import { api } from '../api.ts';
import { ProblemAlert } from '../ui.tsx';
import { SavedStatus, useSubmit } from '../clients/client-form.tsx';

export function ClientRecordPanel({ clientId, clientName }: { clientId: string; clientName: string }) {
  const { busy, problem, status, run } = useSubmit();

  async function download() {
    await run(async () => {
      const record = await api.get<{ exportedAt: string }>(`/api/clients/${encodeURIComponent(clientId)}/export`);
      const blob = new Blob([JSON.stringify(record, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `client-record-${clientId.slice(0, 8)}-${record.exportedAt.slice(0, 10)}.json`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    }, 'The record was downloaded. The download is recorded in the audit log.');
  }

  return (
    <section aria-labelledby="record-heading" className="panel" id="record">
      <h2 id="record-heading">The client's record</h2>
      <p>
        When {clientName} asks for a copy of their record, download it here: contacts and consents, sessions, risk history and screeners,
        safety plan, follow-ups, messages, referrals, the accounting of disclosures and signed incident reports, in FHIR R4 (JSON).
        Psychotherapy notes are not included.
      </p>
      <ProblemAlert problem={problem} />
      <button type="button" className="secondary" disabled={busy} onClick={() => void download()}>
        {busy ? 'Preparing the record…' : "Download the client's record"}
      </button>
      {status && <SavedStatus text={status} />}
    </section>
  );
}
