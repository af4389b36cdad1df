// The controls of one open step, by kind, with "Skip…" and the problem if it was refused.
import { useState } from 'react';
import type { StepDefinition } from '../../../domain/protocols/definition.ts';
import type { RunAction, StepState } from '../../../domain/protocols/run.ts';
import type { Problem } from '../../api.ts';
import { ProblemAlert } from '../../ui.tsx';
import { CssrsForm } from '../cssrs-form.tsx';
import type { DisclosureInput, IncidentDetail, RunView } from '../incident-types.ts';
import { ActionStep } from './action-step.tsx';
import { DocumentationStep } from './documentation-step.tsx';
import { DoneWithNote } from './done-with-note.tsx';
import { QuestionStep } from './question-step.tsx';
import { SkipStep } from './skip-step.tsx';
import type { Act } from './step-props.ts';
import { TimerStep } from './timer-step.tsx';

interface Props {
  step: StepDefinition;
  state: StepState;
  run: RunView;
  detail: IncidentDetail;
  discreet: boolean;
  timeZone: string;
  record: (action: RunAction, disclosure?: DisclosureInput) => Problem | null;
}

export function StepControl({ step, state, run, detail, discreet, timeZone, record }: Props) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const act: Act = (action, disclosure) => {
    const refused = record(action, disclosure);
    setProblem(refused);
    return refused === null;
  };
  const common = { state, run, detail, discreet, timeZone, act };

  let control;
  switch (step.kind) {
    case 'check':
      control = <DoneWithNote stepId={step.id} act={act} />;
      break;
    case 'action':
      control = <ActionStep {...common} step={step} />;
      break;
    case 'question':
      control = <QuestionStep {...common} step={step} />;
      break;
    case 'assessment':
      control = <CssrsForm {...common} step={step} />;
      break;
    case 'timer':
      control = <TimerStep {...common} step={step} />;
      break;
    case 'documentation':
      control = <DocumentationStep {...common} step={step} />;
      break;
    case 'decision':
      control = <p className="hint">Decided from the answers above, as soon as they are all recorded.</p>;
      break;
  }
  return (
    <div className="step-control">
      {control}
      <ProblemAlert problem={problem} />
      <SkipStep stepId={step.id} act={act} />
    </div>
  );
}
