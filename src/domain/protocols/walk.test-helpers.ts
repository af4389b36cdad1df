/** Test helpers: drive a run step by step, branching on every possible answer. */
import type { CssrsAnswers, CssrsRisk } from '../cssrs.ts';
import type { ProtocolDefinition } from './definition.ts';
import { applyEvent, canComplete, nextStep, startRun, type RunAction, type RunEvent, type RunState } from './run.ts';

export const T0 = '2026-11-22T10:00:00.000Z';
export const at = (min: number) => new Date(Date.parse(T0) + min * 60_000).toISOString();

/** One answer set per triage level of the C-SSRS screener. */
export const CSSRS_BY_RISK: Record<CssrsRisk, CssrsAnswers> = {
  none: { q1: false, q2: false, q6: false },
  low: { q1: true, q2: false, q6: false },
  moderate: { q1: true, q2: true, q3: true, q4: false, q5: false, q6: false },
  high: { q1: true, q2: true, q3: true, q4: true, q5: false, q6: false },
};

export type Walk = { state: RunState; events: RunEvent[]; choices: string[] };

/** Every complete path through a protocol: each question option, scale end and C-SSRS level. */
export function walkAllPaths(def: ProtocolDefinition, params: Record<string, number> = {}): Walk[] {
  const done: Walk[] = [];
  const go = (w: Walk) => {
    const step = nextStep(w.state);
    if (!step) return done.push(w);
    const id = step.definition.id;
    const t = at(w.events.length + 1);
    const who = { at: t, actor: 'clinician-1' };
    const options: [string, RunEvent[]][] = [];
    const d = step.definition;
    switch (d.kind) {
      case 'question':
        for (const v of d.options ? d.options.map((o) => o.value) : [d.scale!.min, d.scale!.max]) {
          options.push([`${id}=${v}`, [{ ...who, type: 'answer', stepId: id, value: v }]]);
        }
        break;
      case 'assessment':
        for (const [risk, answers] of Object.entries(CSSRS_BY_RISK)) {
          options.push([`${id}=${risk}`, [{ ...who, type: 'record_assessment', stepId: id, answers }]]);
        }
        break;
      case 'timer':
        options.push([id, [{ ...who, type: 'start_timer', stepId: id }, { ...who, at: at(w.events.length + 2), type: 'finish_timer', stepId: id }]]);
        break;
      case 'documentation':
        options.push([id, [{ ...who, type: 'document', stepId: id, text: 'words' }]]);
        break;
      case 'decision':
        throw new Error(`decision ${id} left open`);
      default:
        options.push([id, [{ ...who, type: 'mark_done', stepId: id }]]);
    }
    for (const [choice, events] of options) {
      const state = events.reduce((s, e) => applyEvent(s, e).state, w.state);
      go({ state, events: [...w.events, ...events], choices: [...w.choices, choice] });
    }
  };
  go({ state: startRun(def, params, T0, 'clinician-1').state, events: [], choices: [] });
  for (const w of done) if (!canComplete(w.state)) throw new Error(`path ${w.choices.join(' ')} cannot complete`);
  return done;
}

/** Applies events in order from a fresh run. */
export function run(def: ProtocolDefinition, events: RunAction[], params: Record<string, number> = {}): RunState {
  return events.reduce<RunState>(
    (s, e, i) => applyEvent(s, { ...e, at: at(i + 1), actor: 'clinician-1' } as RunEvent).state,
    startRun(def, params, T0, 'clinician-1').state,
  );
}
