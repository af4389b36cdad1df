// What every step control gets: its step, the run it belongs to, and one way to act.
import type { StepDefinition, StepKind } from '../../../domain/protocols/definition.ts';
import type { RunAction, StepState } from '../../../domain/protocols/run.ts';
import type { DisclosureInput, IncidentDetail, RunView } from '../incident-types.ts';

/** Records an event; false when it was refused (the control keeps what was typed). */
export type Act = (action: RunAction, disclosure?: DisclosureInput) => boolean;

export interface StepProps<K extends StepKind = StepKind> {
  step: Extract<StepDefinition, { kind: K }>;
  state: StepState;
  run: RunView;
  detail: IncidentDetail;
  discreet: boolean;
  timeZone: string;
  act: Act;
}
