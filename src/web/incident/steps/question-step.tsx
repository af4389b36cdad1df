// A question: choose one answer (or a number on a scale), then record it. Two taps on
// purpose: an answer picks the protocol's branch and cannot be taken back.
import { useId, useState, type FormEvent } from 'react';
import { stepName } from '../words.ts';
import type { StepProps } from './step-props.ts';

export function QuestionStep({ step, discreet, act }: StepProps<'question'>) {
  const [choice, setChoice] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const name = useId();
  const choices = step.options
    ? step.options.map((o) => ({ key: o.value, label: o.label, value: o.value as string | number }))
    : range(step.scale!.min, step.scale!.max).map((n) => ({ key: String(n), label: String(n), value: n as string | number }));

  function submit(e: FormEvent) {
    e.preventDefault();
    const picked = choices.find((c) => c.key === choice);
    if (!picked) {
      setMissing(true);
      return;
    }
    if (act({ type: 'answer', stepId: step.id, value: picked.value })) setChoice(null);
  }

  return (
    <form className="step-form" onSubmit={submit}>
      <fieldset className={step.scale ? 'choices choices-scale' : 'choices'} aria-invalid={missing || undefined}>
        <legend className="incident-sr">{stepName(step, discreet)}</legend>
        {step.scale && (
          <p className="hint">
            {step.scale.min} is none, {step.scale.max} the most.
          </p>
        )}
        <div className="choice-tiles">
          {choices.map((c) => (
            <label key={c.key} className="choice-tile">
              <input
                type="radio"
                name={name}
                value={c.key}
                checked={choice === c.key}
                onChange={() => {
                  setChoice(c.key);
                  setMissing(false);
                }}
              />
              <span>{c.label}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {missing && (
        <p className="step-error" role="alert">
          Choose an answer first.
        </p>
      )}
      <button type="submit" className="primary step-go">
        Record answer
      </button>
    </form>
  );
}

function range(min: number, max: number): number[] {
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}
