import { useEffect, useId, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
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
/** A label, an optional hint and one control, wired together for assistive technology. */
function LabelledControl({ label, hint, id, className, control }: {
  label: string; hint?: ReactNode; id: string | undefined; className?: string | undefined;
  control: (wiring: { id: string; 'aria-describedby': string | undefined }) => ReactNode;
}) {
  const auto = useId();
  const controlId = id ?? auto;
  const hintId = `${controlId}-hint`;
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={controlId}>{label}</label>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {control({ id: controlId, 'aria-describedby': hint ? hintId : undefined })}
    </div>
  );
}

export function Field({ label, hint, id, className, ref, ...input }: FieldProps) {
  return <LabelledControl label={label} hint={hint} id={id} className={className} control={(wiring) => <input ref={ref} {...wiring} {...input} />} />;
}

type TextAreaProps = { label: string; hint?: ReactNode } & TextareaHTMLAttributes<HTMLTextAreaElement>;

export function TextArea({ label, hint, id, ...rest }: TextAreaProps) {
  return <LabelledControl label={label} hint={hint} id={id} control={(wiring) => <textarea {...wiring} rows={3} {...rest} />} />;
}

type SelectProps = { label: string; hint?: ReactNode; children: ReactNode } & SelectHTMLAttributes<HTMLSelectElement>;

export function SelectField({ label, hint, id, children, ...rest }: SelectProps) {
  return <LabelledControl label={label} hint={hint} id={id} control={(wiring) => <select {...wiring} {...rest}>{children}</select>} />;
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
