import { useEffect, useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';
import type { Problem } from './api.ts';

/** Sets the browser tab title, e.g. "Users · Holdspace". */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Holdspace` : 'Holdspace';
  }, [title]);
}

/** Error region placed next to a form; shows the problem's detail. */
export function ProblemAlert({ problem }: { problem: Problem | null }) {
  if (!problem) return null;
  const errors = problem.errors ?? [];
  return (
    <div role="alert" className="alert">
      <p>{problem.detail}</p>
      {errors.length > 0 && (
        <ul>
          {errors.map((e, i) => (
            <li key={`${e.path}-${i}`}>{e.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Calm confirmation / information message. */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <div role="status" className="notice">
      {children}
    </div>
  );
}

export function Loading({ what = 'Loading…' }: { what?: string }) {
  return (
    <p role="status" className="muted">
      {what}
    </p>
  );
}

type FieldProps = { label: string; hint?: ReactNode; ref?: Ref<HTMLInputElement> } & InputHTMLAttributes<HTMLInputElement>;

/** A labelled input with an optional hint linked by aria-describedby. */
export function Field({ label, hint, id, className, ref, ...input }: FieldProps) {
  const auto = useId();
  const inputId = id ?? auto;
  const hintId = `${inputId}-hint`;
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={inputId}>{label}</label>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      <input ref={ref} id={inputId} aria-describedby={hint ? hintId : undefined} {...input} />
    </div>
  );
}

export const ROLE_NAMES: Record<string, string> = {
  owner: 'Practice owner',
  admin: 'Administrator',
  clinician: 'Clinician',
  supervisor: 'Clinical supervisor',
  front_desk: 'Front desk',
};

export function roleName(role: string): string {
  return ROLE_NAMES[role] ?? role;
}

export const MIN_PASSWORD = 12;
export const PASSWORD_RULE = `At least ${MIN_PASSWORD} characters. A few words strung together work well.`;
