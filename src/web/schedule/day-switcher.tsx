import { useId } from 'react';
import { addDays, isDay } from './schedule.ts';

interface Props {
  date: string;
  today: string;
  onChange: (date: string) => void;
}

/** Previous day, today, next day, or any day by its date. */
export function DaySwitcher({ date, today, onChange }: Props) {
  const inputId = useId();
  return (
    <div className="day-switcher" role="group" aria-label="Choose the day">
      <button type="button" className="secondary" onClick={() => onChange(addDays(date, -1))}>
        <span aria-hidden="true">‹&nbsp;</span>Previous day
      </button>
      <button type="button" className="secondary" onClick={() => onChange(today)}>
        Today
      </button>
      <button type="button" className="secondary" onClick={() => onChange(addDays(date, 1))}>
        Next day<span aria-hidden="true">&nbsp;›</span>
      </button>
      <div className="field day-switcher-date">
        <label htmlFor={inputId}>Show day</label>
        <input
          id={inputId}
          type="date"
          value={date}
          onChange={(e) => {
            if (isDay(e.target.value)) onChange(e.target.value);
          }}
        />
      </div>
    </div>
  );
}
