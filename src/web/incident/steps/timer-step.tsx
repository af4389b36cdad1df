// A timer: start it, watch it count down, and stop it when it is over (or earlier).
import { useEffect, useState } from 'react';
import { clockTime } from '../words.ts';
import type { StepProps } from './step-props.ts';

/** A second button where the protocol's wait ends with someone coming back. */
const ENDED_EARLY: Record<string, string> = {
  'client-walks-out': 'Client came back',
  'telehealth-disconnection': 'Reconnected',
  'stepping-out': "I'm back",
};

function useNow(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, [running]);
  return now;
}

export function countdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

export function TimerStep({ step, state, run, timeZone, act }: StepProps<'timer'>) {
  const timer = state.status === 'running' ? state.timer : undefined;
  const now = useNow(timer !== undefined);
  const minutes = run.state.parameters[step.minutes];

  if (!timer) {
    return (
      <div className="step-form">
        <button type="button" className="primary step-go" onClick={() => act({ type: 'start_timer', stepId: step.id })}>
          Start the {minutes !== undefined ? `${minutes}-minute ` : ''}timer
        </button>
      </div>
    );
  }

  const left = Date.parse(timer.dueAt) - now;
  const over = left <= 0;
  const early = ENDED_EARLY[run.protocolKey];
  return (
    <div className="step-form">
      <p className={over ? 'timer timer-over' : 'timer'} role="timer" aria-live="off" aria-label={over ? 'Time is up' : `${countdown(left)} left`}>
        {over ? 'Time is up' : countdown(left)}
      </p>
      <p className="hint">
        Started {clockTime(timer.startedAt, timeZone)}, until {clockTime(timer.dueAt, timeZone)}.
      </p>
      {over && (
        <p role="status" className="incident-sr">
          Time is up.
        </p>
      )}
      <div className="row">
        <button type="button" className="primary step-go" onClick={() => act({ type: 'finish_timer', stepId: step.id })}>
          Finished
        </button>
        {early && !over && (
          <button type="button" className="secondary" onClick={() => act({ type: 'finish_timer', stepId: step.id })}>
            {early}
          </button>
        )}
      </div>
    </div>
  );
}
