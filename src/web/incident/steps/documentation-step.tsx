// A documentation prompt: the client's exact words, or notes.
import { useState, type FormEvent } from 'react';
import { TextArea } from '../../ui.tsx';
import type { StepProps } from './step-props.ts';

export function DocumentationStep({ step, discreet, act }: StepProps<'documentation'>) {
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const exact = step.field === 'exact_words';

  function submit(e: FormEvent) {
    e.preventDefault();
    const words = text.trim();
    if (!words) {
      setMissing(true);
      return;
    }
    if (act({ type: 'document', stepId: step.id, text: words })) setText('');
  }

  return (
    <form className="step-form" onSubmit={submit} noValidate>
      <TextArea
        // Discreet mode: the prompt can name what the client must not read over a shoulder.
        label={discreet ? 'Notes' : step.prompt}
        hint={exact && !discreet ? 'Word for word, as the client said it. It is recorded as written.' : undefined}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setMissing(false);
        }}
        rows={exact ? 3 : 5}
        required
        aria-invalid={missing || undefined}
      />
      {missing && (
        <p className="step-error" role="alert">
          Write what should be recorded.
        </p>
      )}
      <button type="submit" className="primary step-go">
        Save
      </button>
    </form>
  );
}
