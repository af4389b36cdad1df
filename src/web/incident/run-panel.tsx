// One protocol run: the step to do now, large, with its controls; the whole checklist
// beside it, each open step one tap away; "Complete protocol" when every required step
// is done or skipped (DESIGN.md, "Screens: Protocol runner").
import { useEffect, useId, useRef, useState } from 'react';
import type { StepDefinition } from '../../domain/protocols/definition.ts';
import { canComplete, nextStep, visibleSteps, type RunAction, type StepState, type VisibleStep } from '../../domain/protocols/run.ts';
import type { Problem } from '../api.ts';
import { cachedProtocol } from '../offline/protocols.ts';
import { ProblemAlert } from '../ui.tsx';
import type { DisclosureInput, IncidentDetail, RunView } from './incident-types.ts';
import { StepControl } from './steps/step-control.tsx';
import { clockTime, personName, protocolName, stepName, stepOutcome } from './words.ts';

interface Props {
  run: RunView;
  /** The incident's only run: its protocol is already the page's title. */
  only: boolean;
  detail: IncidentDetail;
  discreet: boolean;
  timeZone: string;
  names: Map<string, string>;
  record: (run: RunView, action: RunAction, disclosure?: DisclosureInput) => Problem | null;
}

function isOpen(s: StepState): boolean {
  return s.status === 'pending' || s.status === 'running';
}

export function RunPanel({ run, only, detail, discreet, timeZone, names, record }: Props) {
  const headingId = useId();
  const { state } = run;
  const canAct = detail.viewer.canAct && detail.status === 'open' && state.status === 'open';
  const steps = visibleSteps(state);
  const next = nextStep(state);
  const [chosen, setChosen] = useState<string | null>(null);
  const current = steps.find((s) => s.definition.id === chosen && isOpen(s.state)) ?? next;
  const [completeProblem, setCompleteProblem] = useState<Problem | null>(null);

  // After the clinician acts, move focus to the step that is now first, so keyboard and
  // screen reader users carry on from there. Server refreshes never move focus.
  const acted = useRef(false);
  const nowHeading = useRef<HTMLHeadingElement>(null);
  const currentId = current?.definition.id ?? null;
  useEffect(() => {
    if (!acted.current) return;
    acted.current = false;
    nowHeading.current?.focus();
  }, [currentId]);

  const act = (action: RunAction, disclosure?: DisclosureInput) => {
    const refused = record(run, action, disclosure);
    if (!refused) acted.current = true;
    return refused;
  };

  return (
    <section className="panel run-panel" aria-labelledby={headingId}>
      <div className="panel-head">
        <h2 id={headingId}>{only ? 'Steps' : protocolName(state.definition, discreet)}</h2>
        <span className={run.status === 'completed' ? 'chip chip-ready' : 'chip'}>{run.status === 'completed' ? 'Completed' : 'Open'}</span>
      </div>
      {state.status === 'completed' && state.completedAt && (
        <p className="muted">
          Completed at {clockTime(state.completedAt, timeZone)} by {personName(names, state.completedBy)}.
        </p>
      )}
      <div className="run-layout">
        {state.status === 'open' && (
          <div className="run-now">
            {current ? (
              <article className={current === next ? 'step-now' : 'step-now step-chosen'} aria-labelledby={`${headingId}-now`}>
                <p className="step-now-label">{current === next ? 'Next' : 'Chosen step'}{current.definition.required ? '' : ' (optional)'}</p>
                <h3 id={`${headingId}-now`} ref={nowHeading} tabIndex={-1}>
                  {stepName(current.definition, discreet)}
                </h3>
                {current.definition.detail && <p>{current.definition.detail}</p>}
                {canAct ? (
                  <StepControl
                    key={current.definition.id}
                    step={current.definition}
                    state={current.state}
                    run={run}
                    detail={detail}
                    discreet={discreet}
                    timeZone={timeZone}
                    record={act}
                  />
                ) : (
                  <p className="hint">The clinician records this step.</p>
                )}
                {!discreet && <p className="step-source">Source: {current.definition.source}</p>}
              </article>
            ) : (
              <p className="notice">Every step is done or skipped.</p>
            )}
            {canAct && canComplete(state) && (
              <div className="run-complete">
                <p>{current ? 'Every required step is done. The rest are optional.' : 'Every required step is done.'}</p>
                <button
                  type="button"
                  className="primary"
                  onClick={() => setCompleteProblem(record(run, { type: 'complete' }))}
                >
                  Complete protocol
                </button>
                <ProblemAlert problem={completeProblem} />
              </div>
            )}
          </div>
        )}
        <Checklist
          steps={steps}
          current={currentId}
          next={next?.definition.id ?? null}
          canAct={canAct}
          discreet={discreet}
          timeZone={timeZone}
          names={names}
          onChoose={(id) => {
            setChosen(id);
            acted.current = true;
            // Focus follows even when the chosen step was already the current one.
            window.setTimeout(() => nowHeading.current?.focus(), 0);
          }}
        />
      </div>
      <SwitchesUnderWay run={run} detail={detail} discreet={discreet} />
    </section>
  );
}

interface ChecklistProps {
  steps: VisibleStep[];
  current: string | null;
  next: string | null;
  canAct: boolean;
  discreet: boolean;
  timeZone: string;
  names: Map<string, string>;
  onChoose: (stepId: string) => void;
}

const STATUS_WORDS: Record<StepState['status'], string> = { pending: 'To do', running: 'Running', done: 'Done', skipped: 'Skipped' };

function Checklist({ steps, current, next, canAct, discreet, timeZone, names, onChoose }: ChecklistProps) {
  return (
    <ol className="checklist" aria-label="Checklist">
      {steps.map(({ definition: step, state: s }) => {
        const open = isOpen(s);
        const outcome = stepOutcome(step, s, discreet);
        const classes = ['check-item', `check-${s.status}`, step.id === current ? 'check-current' : '', step.id === next ? 'check-next' : ''];
        return (
          <li key={step.id} className={classes.filter(Boolean).join(' ')} aria-current={step.id === current ? 'step' : undefined}>
            <span className="check-status">{step.id === next && open ? 'Next' : STATUS_WORDS[s.status]}</span>
            <span className="check-title">
              {stepName(step, discreet)}
              {!step.required && <span className="muted"> (optional)</span>}
            </span>
            {outcome && <span className="check-outcome">{outcome}</span>}
            {!open && s.at && (
              <span className="check-who muted">
                {personName(names, s.actor)}, {clockTime(s.at, timeZone)}
              </span>
            )}
            {open && canAct && step.id !== current && (
              <button type="button" className="secondary check-choose" aria-label={`Do this now: ${stepName(step, discreet)}`} onClick={() => onChoose(step.id)}>
                Do this now
              </button>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/**
 * A switch to another protocol recorded here but not yet answered by the server (offline):
 * the new run is made by the server, so meanwhile its steps are shown to follow.
 */
function SwitchesUnderWay({ run, detail, discreet }: { run: RunView; detail: IncidentDetail; discreet: boolean }) {
  const waiting = run.state.definition.steps.filter(
    (s): s is Extract<StepDefinition, { kind: 'action' }> =>
      s.kind === 'action' && s.action === 'start_protocol' && run.state.steps[s.id]?.status === 'done'
      && !detail.runs.some((r) => r.id !== run.id && r.protocolKey === s.protocol),
  );
  return (
    <>
      {waiting.map((s) => {
        const target = s.protocol ? cachedProtocol(s.protocol) : undefined;
        if (!target) return null;
        return (
          <div key={s.id} className="notice switch-waiting" role="status">
            <p>
              <span className="strong">{protocolName(target, discreet)}</span> opens here as soon as Holdspace receives the switch.
              Meanwhile, its steps:
            </p>
            <ol>
              {target.steps.filter((t) => t.when === undefined).map((t) => (
                <li key={t.id}>{stepName(t, discreet)}</li>
              ))}
            </ol>
          </div>
        );
      })}
    </>
  );
}
