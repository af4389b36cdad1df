// Marking an action done: an optional note, and who was told what when it was a
// disclosure (required for "record a disclosure" steps, offered for calls outside treatment).
import { useId, useState, type FormEvent } from 'react';
import { Field, TextArea } from '../../ui.tsx';
import type { DisclosureInput } from '../incident-types.ts';
import type { Act } from './step-props.ts';

export interface DisclosureDraft {
  recipientName: string;
  recipientContact: string;
  whatWasSaid: string;
}

export const EMPTY_DISCLOSURE: DisclosureDraft = { recipientName: '', recipientContact: '', whatWasSaid: '' };

interface Props {
  stepId: string;
  act: Act;
  label: string;
  /** 'required': the step is the disclosure; 'offered': a checkbox adds one; 'none'. */
  disclosure: 'required' | 'offered' | 'none';
  legalBasis?: string | undefined;
  /** Filled in by a shortcut (e.g. "Record the call to …" on an emergency contact). */
  draft?: DisclosureDraft;
  onDraft?: (d: DisclosureDraft) => void;
}

export function ActionDoneForm({ stepId, act, label, disclosure, legalBasis, draft: outer, onDraft }: Props) {
  const [inner, setInner] = useState<DisclosureDraft>(EMPTY_DISCLOSURE);
  const draft = outer ?? inner;
  const setDraft = onDraft ?? setInner;
  const [note, setNote] = useState('');
  const [adding, setAdding] = useState(false);
  const [missing, setMissing] = useState(false);
  const checkId = useId();
  const withDisclosure = disclosure === 'required' || (disclosure === 'offered' && (adding || draft.recipientName !== ''));

  function submit(e: FormEvent) {
    e.preventDefault();
    let given: DisclosureInput | undefined;
    if (withDisclosure) {
      if (!draft.recipientName.trim() || !draft.whatWasSaid.trim()) {
        setMissing(true);
        return;
      }
      given = { recipientName: draft.recipientName, whatWasSaid: draft.whatWasSaid, recipientContact: draft.recipientContact };
    }
    const text = note.trim();
    const ok = act(text ? { type: 'mark_done', stepId, note: text } : { type: 'mark_done', stepId }, given);
    if (ok) {
      setNote('');
      setDraft(EMPTY_DISCLOSURE);
      setAdding(false);
    }
  }

  const set = (k: keyof DisclosureDraft) => (e: { target: { value: string } }) => {
    setDraft({ ...draft, [k]: e.target.value });
    setMissing(false);
  };

  return (
    <form className="step-form" onSubmit={submit} noValidate>
      {disclosure === 'offered' && (
        <label className="check" htmlFor={checkId}>
          <input
            id={checkId}
            type="checkbox"
            checked={withDisclosure}
            onChange={(e) => {
              setAdding(e.target.checked);
              if (!e.target.checked) setDraft(EMPTY_DISCLOSURE);
            }}
          />
          Record this as a disclosure (who was told what)
        </label>
      )}
      {withDisclosure && (
        <fieldset className="disclosure-fields">
          <legend>Disclosure</legend>
          {legalBasis && <p className="hint legal-basis">Legal basis: {legalBasis}</p>}
          <div className="field-pair">
            <Field label="Told whom" value={draft.recipientName} onChange={set('recipientName')} required aria-invalid={(missing && !draft.recipientName.trim()) || undefined} autoComplete="off" />
            <Field label="How to reach them (optional)" value={draft.recipientContact} onChange={set('recipientContact')} autoComplete="off" />
          </div>
          <TextArea label="What was said" value={draft.whatWasSaid} onChange={set('whatWasSaid')} required aria-invalid={(missing && !draft.whatWasSaid.trim()) || undefined} />
          {missing && (
            <p className="step-error" role="alert">
              Write who was told and what was said.
            </p>
          )}
        </fieldset>
      )}
      <Field label="Note (optional)" value={note} onChange={(e) => setNote(e.target.value)} autoComplete="off" />
      <button type="submit" className="primary step-go">
        {label}
      </button>
    </form>
  );
}
