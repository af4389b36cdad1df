import type { User } from './user.ts';

interface Props {
  legend: string;
  clinicians: User[];
  selected: string[];
  onChange: (ids: string[]) => void;
}

/** Checkbox list of clinicians, used for a supervisor's team. */
export function ClinicianCheckboxes({ legend, clinicians, selected, onChange }: Props) {
  function toggle(id: string, on: boolean) {
    onChange(on ? [...selected, id] : selected.filter((s) => s !== id));
  }
  return (
    <fieldset className="checkboxes">
      <legend>{legend}</legend>
      {clinicians.length === 0 ? (
        <p className="muted">There are no clinicians yet. Invite clinicians first, then add them here.</p>
      ) : (
        clinicians.map((c) => (
          <label key={c.id} className="check">
            <input type="checkbox" checked={selected.includes(c.id)} onChange={(e) => toggle(c.id, e.target.checked)} />
            <span>
              {c.name}
              {!c.active && <span className="muted"> (inactive)</span>}
            </span>
          </label>
        ))
      )}
    </fieldset>
  );
}
