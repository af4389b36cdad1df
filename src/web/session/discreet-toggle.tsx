import { useId } from 'react';
import { useDiscreetMode } from './discreet.ts';

/** The switch for discreet mode; its own words are neutral, so it can stay on screen. */
export function DiscreetToggle() {
  const [discreet, setDiscreet] = useDiscreetMode();
  const id = useId();
  return (
    <div className="switch-row discreet-toggle">
      <input id={id} type="checkbox" role="switch" className="switch" checked={discreet} aria-describedby={`${id}-hint`} onChange={(e) => setDiscreet(e.target.checked)} />
      <label htmlFor={id}>Discreet screen</label>
      <span id={`${id}-hint`} className="session-visually-hidden">
        Neutral wording on screen, for when the client can see it.
      </span>
    </div>
  );
}
