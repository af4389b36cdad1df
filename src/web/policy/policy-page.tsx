// The practice's emergency and interruption policy: read by everyone, published by admins.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { fieldProblem, relabel, TextArea, type FieldLabels } from '../clients/client-form.tsx';
import { can, useMe } from '../session.tsx';
import { formatDateTime } from '../time.ts';
import { Field, Loading, ProblemAlert, usePageTitle } from '../ui.tsx';
import { DEFAULT_TITLE, MAX_TEXT, MAX_TITLE, publishedWords, type Policy, type PolicyVersionSummary } from './policy.ts';
import { PolicyMarkdown } from './policy-markdown.tsx';

const LABELS: FieldLabels = { title: 'Title', bodyMarkdown: 'Policy text (Markdown)' };

export function PolicyPage() {
  usePageTitle('Policy');
  const me = useMe();
  const timeZone = me.practice.timeZone;
  const canPublish = can(me, 'policy.publish');
  const [policy, setPolicy] = useState<Policy | null | undefined>(undefined);
  const [versions, setVersions] = useState<PolicyVersionSummary[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [attempt, setAttempt] = useState(0);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const [published, setPublished] = useState('');
  const publishedRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<{ policy: Policy | null }>('/api/policy', { signal: ctrl.signal })
      .then((r) => {
        setPolicy(r.policy);
        setProblem(null);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    api
      .get<{ versions: PolicyVersionSummary[] }>('/api/policy/versions', { signal: ctrl.signal })
      .then((r) => setVersions(r.versions))
      .catch((err: unknown) => {
        if (!isAbort(err)) setVersions((v) => v ?? []);
      });
    return () => ctrl.abort();
  }, [attempt]);

  return (
    <div className="policy-page">
      <h1>Emergency and interruption policy</h1>
      <p className="lede">
        What the practice tells every client about emergencies, and about sessions that may be interrupted. Clients acknowledge it at
        intake, and again when it changes.
      </p>
      <ProblemAlert problem={problem} />
      {policy === undefined ? (
        !problem && <Loading what="Loading the policy…" />
      ) : policy === null ? (
        <section aria-labelledby="policy-none-heading" className="panel">
          <h2 id="policy-none-heading">No policy yet</h2>
          <p>
            The practice has not published its emergency and interruption policy yet.{' '}
            {canPublish ? 'Write the first version below.' : 'Your practice owner or an administrator publishes it.'}
          </p>
        </section>
      ) : (
        <article aria-labelledby="policy-title" className="panel policy-current">
          <h2 id="policy-title">{policy.title}</h2>
          <p className="muted">
            Version {policy.version} · {publishedWords(policy, timeZone)}
          </p>
          <PolicyMarkdown markdown={policy.bodyMarkdown} />
        </article>
      )}
      <div ref={publishedRef} role="status" tabIndex={-1} className="policy-published">
        {published && <p className="notice">{published}</p>}
      </div>
      {canPublish && policy !== undefined && (
        <PublishPanel
          key={policy?.version ?? 0}
          current={policy}
          onEdit={() => setPublished('')}
          onPublished={(message) => {
            setPublished(message);
            reload();
            // The form starts afresh from the new version; keep the keyboard near the news.
            window.setTimeout(() => publishedRef.current?.focus(), 0);
          }}
        />
      )}
      <VersionsPanel versions={versions} current={policy?.version ?? null} timeZone={timeZone} />
    </div>
  );
}

interface PublishProps {
  current: Policy | null;
  onEdit: () => void;
  onPublished: (message: string) => void;
}

function PublishPanel({ current, onEdit, onPublished }: PublishProps) {
  const next = (current?.version ?? 0) + 1;
  const [title, setTitle] = useState(current?.title ?? DEFAULT_TITLE);
  const [text, setText] = useState(current?.bodyMarkdown ?? '');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const fail = (p: Problem | null) => setProblem(p && relabel(p, LABELS));
  const invalid = (path: string): true | undefined => (problem?.errors?.some((e) => e.path === `body.${path}`) ? true : undefined);
  const yes = useRef<HTMLButtonElement>(null);
  const submitButton = useRef<HTMLButtonElement>(null);

  function ask(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    onEdit();
    const errors = [
      ...(text.trim() ? [] : [{ path: 'bodyMarkdown', message: 'Write the policy text' }]),
      ...(text.length > MAX_TEXT ? [{ path: 'bodyMarkdown', message: `Keep it to ${MAX_TEXT.toLocaleString('en-US')} characters (it has ${text.length.toLocaleString('en-US')})` }] : []),
      ...(title.trim().length > MAX_TITLE ? [{ path: 'title', message: `Keep it to ${MAX_TITLE} characters` }] : []),
    ];
    if (errors.length > 0) {
      fail(fieldProblem('Some details need another look:', errors));
      return;
    }
    if (current && text.trim() === current.bodyMarkdown.trim() && (title.trim() || DEFAULT_TITLE) === current.title) {
      fail({ status: 400, detail: `This is the same as version ${current.version}. Change the text or the title before publishing.` });
      return;
    }
    fail(null);
    setConfirming(true);
    window.setTimeout(() => yes.current?.focus(), 0);
  }

  async function publish() {
    setBusy(true);
    fail(null);
    try {
      const { version } = await api.post<{ version: number }>('/api/policy', { title: title.trim(), bodyMarkdown: text });
      setConfirming(false);
      onPublished(`Version ${version} published. Clients who acknowledged an earlier version now show as outdated until they acknowledge this one.`);
    } catch (err) {
      setConfirming(false);
      fail(problemOf(err));
      submitButton.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="publish-heading" className="panel" id="publish">
      <h2 id="publish-heading">{current ? 'Publish a new version' : 'Publish the policy'}</h2>
      <p className="muted">
        {current
          ? `Start from the current text. What you publish becomes version ${next}; earlier versions are kept, because clients' acknowledgements refer to them.`
          : 'What you publish becomes version 1. Clinicians then record each client’s acknowledgement.'}
      </p>
      <form onSubmit={ask} noValidate className="stack" aria-busy={busy} aria-label="Publish new version">
        <Field
          label="Title"
          hint={`Optional. Left empty, it is called “${DEFAULT_TITLE}”.`}
          value={title}
          maxLength={MAX_TITLE}
          autoComplete="off"
          aria-invalid={invalid('title')}
          onChange={(e) => {
            setTitle(e.target.value);
            setConfirming(false);
          }}
        />
        <TextArea
          label="Policy text (Markdown)"
          hint="A line starting with # is a heading, a line starting with - is a list item, **two stars** make bold. HTML tags are left out."
          rows={16}
          className="policy-editor"
          value={text}
          aria-invalid={invalid('bodyMarkdown')}
          onChange={(e) => {
            setText(e.target.value);
            setConfirming(false);
          }}
        />
        <details className="policy-preview">
          <summary>Preview</summary>
          {text.trim() ? <PolicyMarkdown markdown={text} /> : <p className="muted">Nothing written yet.</p>}
        </details>
        <ProblemAlert problem={problem} />
        <div className="row">
          <button ref={submitButton} type="submit" className="primary" disabled={busy} aria-expanded={confirming} aria-controls="publish-confirm">
            Publish new version
          </button>
        </div>
      </form>
      <div id="publish-confirm" className="confirm" role="group" aria-labelledby="publish-confirm-text" hidden={!confirming}>
        <p id="publish-confirm-text">
          Publish this as version {next}?{' '}
          {current
            ? `Clients' acknowledgements of earlier versions will become outdated: each client will need to acknowledge version ${next}.`
            : 'Each client will need to acknowledge it.'}
        </p>
        <div className="row">
          <button ref={yes} type="button" className="primary" disabled={busy} onClick={() => void publish()}>
            Yes, publish version {next}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setConfirming(false);
              submitButton.current?.focus();
            }}
          >
            Keep editing
          </button>
        </div>
      </div>
    </section>
  );
}

function VersionsPanel({ versions, current, timeZone }: { versions: PolicyVersionSummary[] | null; current: number | null; timeZone: string }) {
  return (
    <section aria-labelledby="versions-heading" className="panel" id="versions">
      <h2 id="versions-heading">Versions</h2>
      {versions === null ? (
        <Loading what="Loading the versions…" />
      ) : versions.length === 0 ? (
        <p>No versions published yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>Every published version, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Title</th>
                <th scope="col">Published</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.version}>
                  <th scope="row">
                    <Link to={`/policy/versions/${v.version}`} className="table-link">
                      Version {v.version}
                    </Link>
                    {v.version === current && (
                      <>
                        {' '}
                        <span className="chip chip-ready">Current</span>
                      </>
                    )}
                  </th>
                  <td>{v.title}</td>
                  <td>{formatDateTime(v.publishedAt, timeZone)}</td>
                  <td>{v.publishedByName ?? <span className="muted">Not recorded</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
