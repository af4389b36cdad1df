// Add or change a location and the crisis resources that go with it.
import { useMemo, useState, type FormEvent } from 'react';
import { request } from '../api.ts';
import { fieldProblem, SelectField, TextArea, useSubmit } from '../clients/client-form.tsx';
import { useMe } from '../session.tsx';
import { timeZones } from '../time.ts';
import { Field, ProblemAlert } from '../ui.tsx';
import { bodyOf, check, draftOf, LOCATION_LABELS, locationPath, NEW_LOCATION, type Location, type LocationDraft } from './location.ts';

interface Props {
  /** The location being changed, or null to add one. */
  location: Location | null;
  onSaved: (name: string) => void;
  onCancel?: () => void;
}

export function LocationForm({ location, onSaved, onCancel }: Props) {
  const me = useMe();
  const [draft, setDraft] = useState<LocationDraft>(() => (location ? draftOf(location) : NEW_LOCATION));
  const { busy, problem, status, run, fail, invalid } = useSubmit(LOCATION_LABELS);
  const zones = useMemo(() => timeZones(), []);
  const set = (key: keyof LocationDraft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));
  const formId = location ? `edit-location-${location.id}` : 'add-location-form';

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const errors = check(draft);
    if (errors.length > 0) {
      fail(fieldProblem('Some details need another look:', errors));
      return;
    }
    const body = bodyOf(draft);
    const ok = await run(async () => {
      if (location) await request<unknown>('PATCH', locationPath(location.id), { body });
      else await request<unknown>('POST', locationPath(), { body });
    }, `Location ${body.name} saved.`);
    if (ok) {
      if (!location) setDraft(NEW_LOCATION);
      onSaved(body.name);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="stack location-form" aria-busy={busy} aria-label={location ? `Edit ${location.name}` : 'Add a location'} id={formId}>
      <fieldset className="stack">
        <legend>The place</legend>
        <Field label="Location name" hint="As your team calls it, for example Main office." value={draft.name} onChange={set('name')} required maxLength={200} autoComplete="off" aria-invalid={invalid('name')} />
        <TextArea label="Address" hint="The street address, where help would be sent." value={draft.address} onChange={set('address')} required rows={2} maxLength={500} aria-invalid={invalid('address')} />
        <SelectField label="Time zone" hint={`Only if it differs from the practice's (${me.practice.timeZone}).`} value={draft.timeZone} onChange={set('timeZone')} aria-invalid={invalid('timeZone')}>
          <option value="">Same as the practice</option>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </SelectField>
      </fieldset>
      <fieldset className="stack">
        <legend>Numbers to call</legend>
        <div className="field-pair">
          <Field label="Emergency number" hint="911 in the US." type="tel" value={draft.emergencyNumber} onChange={set('emergencyNumber')} required autoComplete="off" aria-invalid={invalid('emergencyNumber')} />
          <Field label="Crisis line" hint="988 is the Suicide & Crisis Lifeline." type="tel" value={draft.crisisLine} onChange={set('crisisLine')} required autoComplete="off" aria-invalid={invalid('crisisLine')} />
          <Field label="Poison control" hint="Poison Help is (800) 222-1222." type="tel" value={draft.poisonControlPhone} onChange={set('poisonControlPhone')} required autoComplete="off" aria-invalid={invalid('poisonControlPhone')} />
        </div>
      </fieldset>
      <fieldset className="stack">
        <legend>Local crisis services</legend>
        <div className="field-pair">
          <Field label="Mobile crisis team" hint="Optional. Its name, for example County Mobile Crisis." value={draft.mobileCrisisName} onChange={set('mobileCrisisName')} maxLength={200} autoComplete="off" aria-invalid={invalid('mobileCrisisName')} />
          <Field label="Mobile crisis phone" hint="Optional." type="tel" value={draft.mobileCrisisPhone} onChange={set('mobileCrisisPhone')} autoComplete="off" aria-invalid={invalid('mobileCrisisPhone')} />
        </div>
        <div className="field-pair">
          <Field label="Emergency department" hint="Optional. The nearest hospital with an emergency department." value={draft.emergencyDepartmentName} onChange={set('emergencyDepartmentName')} maxLength={200} autoComplete="off" aria-invalid={invalid('emergencyDepartmentName')} />
          <Field label="Emergency department phone" hint="Optional." type="tel" value={draft.emergencyDepartmentPhone} onChange={set('emergencyDepartmentPhone')} autoComplete="off" aria-invalid={invalid('emergencyDepartmentPhone')} />
        </div>
        <TextArea label="Emergency department address" hint="Optional." value={draft.emergencyDepartmentAddress} onChange={set('emergencyDepartmentAddress')} rows={2} maxLength={500} aria-invalid={invalid('emergencyDepartmentAddress')} />
      </fieldset>
      <ProblemAlert problem={problem} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Save location
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
        {!location && (
          <p role="status" className="saved-status">
            {status}
          </p>
        )}
      </div>
    </form>
  );
}
