// "Skip…": every open step can be skipped, with a reason that goes on the timeline.
import { useId, useRef, useState, type FormEvent } from 'react';
import { Field } from '../../ui.tsx';
import type { Act } from './step-props.ts';

export function SkipStep({ stepId, act }: { stepId: string; act: Act }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const formId = useId();

  function submit(e: FormEvent) {
    e.preventDefault();
    const why = reason.trim();
    if (!why) {
      setMissing(true);
      return;
    }
    if (act({ type: 'skip', stepId, reason: why })) {
      setReason('');
      setOpen(false);
    }
  }

  if (!open) {
    return (
      <button ref={toggle} type="button" className="secondary step-skip" aria-expanded="false" aria-controls={formId} onClick={() => setOpen(true)}>
        Skip…
      </button>
    );
  }
  return (
    <form id={formId} className="step-form step-skip-form" onSubmit={submit} noValidate>
      <Field
        label="Why skip this step?"
        hint="Required. It goes on the record with the time."
        value={reason}
        onChange={(e) => {
          setReason(e.target.value);
          setMissing(false);
        }}
        required
        aria-invalid={missing || undefined}
        autoFocus
        autoComplete="off"
      />
      {missing && (
        <p className="step-error" role="alert">
          Give a reason for skipping.
        </p>
      )}
      <div className="row">
        <button type="submit" className="secondary">
          Skip step
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setOpen(false);
            setMissing(false);
            window.setTimeout(() => toggle.current?.focus(), 0);
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
