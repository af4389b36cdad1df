// Notes on the incident: for the clinician, and for a supervisor watching live.
import { useId, useState, type FormEvent } from 'react';
import { TextArea } from '../ui.tsx';
import { addNote } from './actions.ts';

export function NotesPanel({ incidentId }: { incidentId: string }) {
  const headingId = useId();
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!text.trim()) {
      setMissing(true);
      return;
    }
    addNote(incidentId, text);
    setText('');
  }

  return (
    <section className="panel incident-side-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Add a note</h2>
      <form onSubmit={submit} noValidate className="stack">
        <TextArea
          label="Note"
          hint="It goes on the timeline with your name and the time."
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setMissing(false);
          }}
          required
          aria-invalid={missing || undefined}
        />
        {missing && (
          <p className="step-error" role="alert">
            Write the note first.
          </p>
        )}
        <button type="submit" className="secondary">
          Add note
        </button>
      </form>
    </section>
  );
}
