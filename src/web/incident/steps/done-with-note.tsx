// "Done", with an optional note: checks and most actions.
import { useState, type FormEvent } from 'react';
import { Field } from '../../ui.tsx';
import type { Act } from './step-props.ts';

interface Props {
  stepId: string;
  act: Act;
  label?: string;
  noteLabel?: string;
}

export function DoneWithNote({ stepId, act, label = 'Done', noteLabel = 'Note (optional)' }: Props) {
  const [note, setNote] = useState('');
  function submit(e: FormEvent) {
    e.preventDefault();
    const text = note.trim();
    if (act(text ? { type: 'mark_done', stepId, note: text } : { type: 'mark_done', stepId })) setNote('');
  }
  return (
    <form className="step-form" onSubmit={submit}>
      <Field label={noteLabel} value={note} onChange={(e) => setNote(e.target.value)} autoComplete="off" />
      <button type="submit" className="primary step-go">
        {label}
      </button>
    </form>
  );
}
