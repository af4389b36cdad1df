// One published version of the policy, as it was.
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { useMe } from '../session.tsx';
import { Loading, ProblemAlert, usePageTitle } from '../ui.tsx';
import { publishedWords, type Policy } from './policy.ts';
import { PolicyMarkdown } from './policy-markdown.tsx';

export function PolicyVersionPage() {
  usePageTitle('Policy');
  const me = useMe();
  const { version = '' } = useParams();
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [current, setCurrent] = useState<number | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    setPolicy(null);
    setProblem(null);
    api
      .get<{ policy: Policy }>(`/api/policy/versions/${encodeURIComponent(version)}`, { signal: ctrl.signal })
      .then((r) => setPolicy(r.policy))
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    api
      .get<{ policy: Policy | null }>('/api/policy', { signal: ctrl.signal })
      .then((r) => setCurrent(r.policy?.version ?? null))
      .catch(() => setCurrent(null));
    return () => ctrl.abort();
  }, [version]);

  const back = (
    <p className="breadcrumb">
      <Link to="/policy">
        <span aria-hidden="true">‹&nbsp;</span>Current policy
      </Link>
    </p>
  );

  if (problem?.status === 404 || problem?.status === 400) {
    return (
      <>
        {back}
        <h1>Version not found</h1>
        <p>The policy has no version {version}.</p>
      </>
    );
  }
  if (!policy) {
    return (
      <>
        {back}
        <h1>Policy</h1>
        <ProblemAlert problem={problem} />
        {!problem && <Loading what="Loading the policy…" />}
      </>
    );
  }
  return (
    <div className="policy-page">
      {back}
      <h1>
        {policy.title}, version {policy.version}
      </h1>
      <p className="muted">
        {publishedWords(policy, me.practice.timeZone, true)}.{' '}
        {current === policy.version ? 'This is the current version.' : current ? `An earlier version; the current one is version ${current}.` : ''}
      </p>
      <article aria-label={`Version ${policy.version}`} className="panel policy-current">
        <PolicyMarkdown markdown={policy.bodyMarkdown} />
      </article>
    </div>
  );
}
