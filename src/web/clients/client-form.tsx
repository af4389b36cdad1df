// Form pieces shared by the client screens: labelled textarea and select, and a
// submit helper that turns the API's field errors into the form's own labels.
import { useCallback, useState } from 'react';
import { problemOf, type Problem } from '../api.ts';

/** Field labels by request body path ("legalName", "phones.1", …). */
export type FieldLabels = Record<string, string>;

function labelFor(path: string, labels: FieldLabels): string | undefined {
  const rel = path.replace(/^body\.?/, '');
  return labels[rel] ?? labels[rel.split('.')[0] ?? ''];
}

/** Name the fields in plain words ("Phone: Enter a valid phone number…"). */
export function relabel(problem: Problem, labels: FieldLabels): Problem {
  const errors = problem.errors ?? [];
  if (errors.length === 0) return problem;
  // The generic validation detail repeats the raw paths; the list below says it better.
  const generated = /\bbody\b/.test(problem.detail);
  return {
    ...problem,
    detail: generated ? 'Some details need another look:' : problem.detail,
    errors: errors.map((e) => {
      const label = labelFor(e.path, labels);
      return { ...e, message: label ? `${label}: ${e.message}` : e.message };
    }),
  };
}

/** A problem found before sending, shaped like the API's. */
export function fieldProblem(detail: string, errors: { path: string; message: string }[] = []): Problem {
  return { status: 400, code: 'VALIDATION_FAILED', detail, errors: errors.map((e) => ({ ...e, path: `body.${e.path}` })) };
}

/** Busy / problem / saved state for one form. */
export function useSubmit(labels: FieldLabels = {}) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');

  const run = useCallback(
    async (action: () => Promise<void>, done: string): Promise<boolean> => {
      setBusy(true);
      setProblem(null);
      setStatus('');
      try {
        await action();
        setStatus(done);
        return true;
      } catch (err) {
        setProblem(relabel(problemOf(err), labels));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [labels],
  );

  const fail = useCallback((p: Problem) => {
    setStatus('');
    setProblem(relabel(p, labels));
  }, [labels]);

  /** Whether the last problem names this field (for aria-invalid). */
  const invalid = (path: string): true | undefined =>
    problem?.errors?.some((e) => e.path === `body.${path}` || e.path.startsWith(`body.${path}.`)) ? true : undefined;

  return { busy, problem, status, run, fail, invalid, setStatus };
}

export { SelectField, TextArea } from '../ui.tsx';

/** The status line after a save: always in the page so screen readers hear the change. */
export function SavedStatus({ text }: { text: string }) {
  return (
    <p role="status" className="saved-status">
      {text}
    </p>
  );
}

/** Empty text means "not given": the API takes null. */
export function orNull(value: string): string | null {
  const t = value.trim();
  return t === '' ? null : t;
}
