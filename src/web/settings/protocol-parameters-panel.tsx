// The numbers a practice may change in its protocols (the walkout wait, follow-up
// windows), one form per protocol. Steps never change here; a run keeps the values it
// started with. Read-only unless protocols.configure.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { ApiError, api, isAbort, problemOf, type Problem } from '../api.ts';
import { fieldProblem, SavedStatus, useSubmit } from '../clients/client-form.tsx';
import { Field, Loading, ProblemAlert } from '../ui.tsx';
import {
  amountText, checkParameters, defaultsDraft, parameterDraft, parameterProblemText, parametersBody, sameParameters,
  type ParameterDraft, type ProtocolParameters,
} from './emergency-settings.ts';

const PATH = '/api/practice/protocol-parameters';

export function ProtocolParametersPanel({ canConfigure }: { canConfigure: boolean }) {
  const [protocols, setProtocols] = useState<ProtocolParameters[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [hidden, setHidden] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<{ protocols: ProtocolParameters[] }>(PATH, { signal: ctrl.signal })
      .then((r) => {
        setProtocols(r.protocols);
        setProblem(null);
      })
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        // Not everyone who may read the paging policy may read the protocols: then the section stays away.
        if (err instanceof ApiError && err.status === 403) setHidden(true);
        else setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, []);

  if (hidden) return null;
  const adjustable = (protocols ?? []).filter((p) => Object.keys(p.parameters).length > 0);

  return (
    <section className="panel parameters-panel" aria-labelledby="parameters-heading">
      <h2 id="parameters-heading">Numbers in the protocols</h2>
      <p className="muted">
        How long to wait, and within how many hours to follow up. The steps themselves stay as written; a protocol already under way
        keeps the numbers it started with.
      </p>
      <ProblemAlert problem={problem} />
      {protocols === null ? (
        !problem && <Loading what="Loading the protocols…" />
      ) : adjustable.length === 0 ? (
        <p>No protocol has numbers to adjust.</p>
      ) : (
        <ul className="parameter-protocols">
          {adjustable.map((p) =>
            canConfigure ? (
              <ParametersForm key={p.key} protocol={p} onSaved={(saved) => setProtocols((list) => (list ?? []).map((x) => (x.key === saved.key ? saved : x)))} />
            ) : (
              <ParametersSummary key={p.key} protocol={p} />
            ),
          )}
        </ul>
      )}
    </section>
  );
}

function ParametersSummary({ protocol }: { protocol: ProtocolParameters }) {
  const headingId = `protocol-${protocol.key}`;
  return (
    <li className="parameter-protocol" aria-labelledby={headingId}>
      <h3 id={headingId}>{protocol.title}</h3>
      <dl className="parameter-values">
        {Object.entries(protocol.parameters).map(([name, def]) => {
          const value = protocol.values[name] ?? def.default;
          return (
            <div key={name}>
              <dt>{def.description}</dt>
              <dd>
                {amountText(value, def.unit)}
                {value !== def.default && <span className="muted"> (the protocol suggests {amountText(def.default, def.unit)})</span>}
              </dd>
            </div>
          );
        })}
      </dl>
    </li>
  );
}

function ParametersForm({ protocol, onSaved }: { protocol: ProtocolParameters; onSaved: (p: ProtocolParameters) => void }) {
  const [draft, setDraft] = useState<ParameterDraft>(() => parameterDraft(protocol));
  const labels = useMemo(
    () => Object.fromEntries(Object.entries(protocol.parameters).map(([name, def]) => [`values.${name}`, def.description])),
    [protocol.parameters],
  );
  const { busy, problem, status, run, fail, invalid, setStatus } = useSubmit(labels);
  const headingId = `protocol-${protocol.key}`;
  const unsaved = !sameParameters(protocol, draft);
  const atDefaults = Object.entries(protocol.parameters).every(([name, def]) => draft[name]?.trim() === String(def.default));
  // The API names an out-of-range parameter in its detail only: find it there.
  const shown = problem && problem.code === 'PARAMETER_OUT_OF_RANGE' ? { ...problem, detail: parameterProblemText(protocol, problem.detail).detail } : problem;
  const namedInProblem = problem ? parameterProblemText(protocol, problem.detail).names : [];

  function set(name: string, value: string) {
    setStatus('');
    setDraft((d) => ({ ...d, [name]: value }));
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const errors = checkParameters(protocol, draft);
    if (errors.length > 0) {
      fail(fieldProblem('Some numbers need another look:', errors));
      return;
    }
    await run(async () => {
      const saved = await api.put<ProtocolParameters>(`${PATH}/${encodeURIComponent(protocol.key)}`, parametersBody(protocol, draft));
      onSaved(saved);
      setDraft(parameterDraft(saved));
    }, `Saved. New runs of "${protocol.title}" use these numbers.`);
  }

  return (
    <li className="parameter-protocol" aria-labelledby={headingId}>
      <h3 id={headingId}>{protocol.title}</h3>
      <form onSubmit={submit} noValidate className="stack" aria-busy={busy} aria-labelledby={headingId}>
        <div className="field-pair">
          {Object.entries(protocol.parameters).map(([name, def]) => (
            <Field
              key={name}
              label={def.description.toLowerCase().includes(def.unit) ? def.description : `${def.description} (${def.unit})`}
              hint={`From ${def.min} to ${def.max}. The protocol suggests ${amountText(def.default, def.unit)}.`}
              type="number"
              inputMode="decimal"
              min={def.min}
              max={def.max}
              step="any"
              className="field-short"
              value={draft[name] ?? ''}
              onChange={(e) => set(name, e.target.value)}
              aria-invalid={invalid(`values.${name}`) ?? (namedInProblem.includes(name) ? true : undefined)}
            />
          ))}
        </div>
        <ProblemAlert problem={shown} />
        <div className="row">
          <button type="submit" className="primary" disabled={busy} aria-describedby={headingId}>
            Save
          </button>
          <button
            type="button"
            className="secondary"
            disabled={atDefaults}
            aria-describedby={headingId}
            onClick={() => {
              setStatus('');
              setDraft(defaultsDraft(protocol));
            }}
          >
            Use the suggested numbers
          </button>
          {unsaved && !busy && <p className="muted unsaved-note">Unsaved changes</p>}
          <SavedStatus text={status} />
        </div>
      </form>
    </li>
  );
}
