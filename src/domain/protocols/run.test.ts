import { describe, expect, it } from 'vitest';
import { builtInProtocol } from './catalog.ts';
import { loadProtocol, type ProtocolInput } from './definition.ts';
import { ProtocolError, type ProtocolErrorCode } from './errors.ts';
import { applyEvent, canComplete, followUpsDue, nextStep, replay, startRun, type RunAction, type RunEvent, type RunState } from './run.ts';
import { at, CSSRS_BY_RISK, run, T0, walkAllPaths } from './walk.test-helpers.ts';

const walkout = builtInProtocol('client-walks-out')!;
const imminent = builtInProtocol('imminent-risk-to-self')!;
const stamp = { at: at(50), actor: 'clinician-1' };

function rejects(state: RunState, event: RunAction, code: ProtocolErrorCode) {
  const before = structuredClone(state);
  let caught: unknown;
  try { applyEvent(state, { ...stamp, ...event } as RunEvent); } catch (e) { caught = e; }
  expect(caught).toBeInstanceOf(ProtocolError);
  expect((caught as ProtocolError).code).toBe(code);
  expect((caught as ProtocolError).message).toMatch(/\w/);
  expect(state).toEqual(before); // nothing changed
}

describe('a walkout run, told as a story', () => {
  it('First, the clinician says there are no danger signs; the practice waits 15 minutes', () => {
    const { state, timeline } = startRun(walkout, { walkoutWaitMinutes: 15 }, T0, 'clinician-1');
    expect(timeline[0]!.what).toMatch(/Started protocol: Client walks out \(v2\)/);
    expect(nextStep(state)!.definition.id).toBe('danger-signs');
    const s1 = applyEvent(state, { type: 'answer', stepId: 'danger-signs', value: 'no', at: at(1), actor: 'clinician-1' });
    expect(s1.timeline).toEqual([{ at: at(1), actor: 'clinician-1', stepId: 'danger-signs', what: expect.stringContaining('No') }]);
    expect(nextStep(s1.state)!.definition.id).toBe('wait');
    const s2 = applyEvent(s1.state, { type: 'start_timer', stepId: 'wait', at: at(2), actor: 'clinician-1' });
    expect(s2.state.steps.wait!.timer!.dueAt).toBe(at(17));
    expect(s2.timeline[0]!.what).toMatch(/15 min/);
    expect(canComplete(s2.state)).toBe(false);
    rejects(s2.state, { type: 'complete' }, 'REQUIRED_STEPS_OPEN');
  });

  it('the default wait is 10 minutes; out-of-range or unknown parameters are refused', () => {
    const s = run(walkout, [{ type: 'answer', stepId: 'danger-signs', value: 'no' }, { type: 'start_timer', stepId: 'wait' }]);
    expect(s.steps.wait!.timer!.dueAt).toBe(at(12));
    expect(() => startRun(walkout, { walkoutWaitMinutes: 500 }, T0, 'c')).toThrow(expect.objectContaining({ code: 'PARAMETER_OUT_OF_RANGE' }));
    expect(() => startRun(walkout, { nope: 1 }, T0, 'c')).toThrow(expect.objectContaining({ code: 'UNKNOWN_PARAMETER' }));
  });

  it('the reach-out follow-up uses the practice window and comes due', () => {
    const s = run(walkout, [
      { type: 'answer', stepId: 'danger-signs', value: 'no' },
      { type: 'start_timer', stepId: 'wait' }, { type: 'finish_timer', stepId: 'wait' },
      { type: 'answer', stepId: 'returned', value: 'no' },
      { type: 'mark_done', stepId: 'reach-out' },
    ], { reachOutHours: 2 });
    expect(followUpsDue(s, at(5 + 119))).toEqual([]);
    expect(followUpsDue(s, at(5 + 120))).toEqual([{ stepId: 'reach-out', kind: 'reach-out', title: 'Reach out to the client today', dueAt: at(125) }]);
  });
});

describe('bad input gets a clear error and changes nothing', () => {
  const started = startRun(imminent, {}, T0, 'clinician-1').state;
  const assessed = run(imminent, [{ type: 'mark_done', stepId: 'stay' }, { type: 'record_assessment', stepId: 'cssrs', answers: CSSRS_BY_RISK.low }]);

  it.each<[string, RunState, RunAction, ProtocolErrorCode]>([
    ['an unknown step', started, { type: 'mark_done', stepId: 'dance' }, 'UNKNOWN_STEP'],
    ['a step done twice', assessed, { type: 'mark_done', stepId: 'stay' }, 'STEP_ALREADY_DONE'],
    ['a step skipped after done', assessed, { type: 'skip', stepId: 'stay', reason: 'x' }, 'STEP_ALREADY_DONE'],
    ['a step of another branch', assessed, { type: 'mark_done', stepId: 'emergency-services' }, 'STEP_NOT_APPLICABLE'],
    ['a branch step before the triage', started, { type: 'mark_done', stepId: 'crisis-line' }, 'STEP_NOT_APPLICABLE'],
    ['a C-SSRS answer that is not yes/no', started, { type: 'record_assessment', stepId: 'cssrs', answers: { q1: 'maybe' } as never }, 'ANSWER_OUT_OF_RANGE'],
    ['an unknown C-SSRS item', started, { type: 'record_assessment', stepId: 'cssrs', answers: { q9: true } as never }, 'ANSWER_OUT_OF_RANGE'],
    ['a C-SSRS with items missing', started, { type: 'record_assessment', stepId: 'cssrs', answers: { q1: true } }, 'ASSESSMENT_INCOMPLETE'],
    ['a skip without a reason', started, { type: 'skip', stepId: 'stay', reason: '  ' }, 'SKIP_REASON_REQUIRED'],
    ['answering a check', started, { type: 'answer', stepId: 'stay', value: 'yes' }, 'WRONG_STEP_KIND'],
    ['marking an assessment done', started, { type: 'mark_done', stepId: 'cssrs' }, 'WRONG_STEP_KIND'],
    ['empty documentation', assessed, { type: 'document', stepId: 'notes', text: '' }, 'TEXT_REQUIRED'],
    ['completing too early', assessed, { type: 'complete' }, 'REQUIRED_STEPS_OPEN'],
  ])('%s', (_what, state, event, code) => rejects(state, event, code));

  it('answers out of range, for options and for a 0–10 scale', () => {
    rejects(startRun(walkout, {}, T0, 'c').state, { type: 'answer', stepId: 'danger-signs', value: 'perhaps' }, 'ANSWER_OUT_OF_RANGE');
    const triggered = startRun(builtInProtocol('client-leaves-triggered')!, {}, T0, 'c').state;
    for (const value of [11, -1, 2.5, '5']) rejects(triggered, { type: 'answer', stepId: 'distress-before', value }, 'ANSWER_OUT_OF_RANGE');
  });

  it('timers: finishing before starting, starting twice', () => {
    const s = run(walkout, [{ type: 'answer', stepId: 'danger-signs', value: 'no' }]);
    rejects(s, { type: 'finish_timer', stepId: 'wait' }, 'TIMER_NOT_STARTED');
    const running = applyEvent(s, { ...stamp, type: 'start_timer', stepId: 'wait' }).state;
    rejects(running, { type: 'start_timer', stepId: 'wait' }, 'TIMER_ALREADY_STARTED');
  });

  it('a closed run accepts nothing', () => {
    const w = walkAllPaths(walkout)[0]!;
    const closed = applyEvent(w.state, { ...stamp, type: 'complete' }).state;
    expect(closed).toMatchObject({ status: 'completed', completedAt: stamp.at, completedBy: 'clinician-1' });
    rejects(closed, { type: 'complete' }, 'RUN_CLOSED');
    rejects(closed, { type: 'mark_done', stepId: 'approach' }, 'RUN_CLOSED');
    // An optional step left open is not offered as the next one once the run is completed.
    const open = { ...closed, steps: { ...closed.steps, approach: { status: 'pending' as const } } };
    expect(nextStep({ ...open, status: 'open' })?.definition.id).toBe('approach');
    expect(nextStep(open)).toBeUndefined();
  });
});

describe('skipping', () => {
  it('a required step skipped with a reason counts; the reason is on the timeline', () => {
    const s = run(walkout, [{ type: 'answer', stepId: 'danger-signs', value: 'yes' }]);
    const skipped = applyEvent(s, { ...stamp, type: 'skip', stepId: 'imminent-risk', reason: 'Client reached by phone, safe with partner' });
    expect(skipped.timeline[0]!.what).toBe('Skipped: Switch to the imminent-risk protocol (reason: Client reached by phone, safe with partner)');
    expect(skipped.state.steps['imminent-risk']).toMatchObject({ status: 'skipped', reason: 'Client reached by phone, safe with partner' });
  });

  it('optional steps do not block completion', () => {
    const s = run(builtInProtocol('stepping-out')!, [
      { type: 'mark_done', stepId: 'tell-client' }, { type: 'mark_done', stepId: 'records-hidden' },
      { type: 'start_timer', stepId: 'away' }, { type: 'finish_timer', stepId: 'away' },
    ]);
    expect(canComplete(s)).toBe(true);
    expect(nextStep(s)!.definition.id).toBe('reason');
  });
});

describe('a run survives a reload and a restart', () => {
  it('the state is plain JSON and replaying the same events gives the same state', () => {
    for (const def of [imminent, builtInProtocol('threat-to-others')!, walkout]) {
      for (const w of walkAllPaths(def)) {
        expect(JSON.parse(JSON.stringify(w.state))).toEqual(w.state);
        expect(replay(def, {}, T0, 'clinician-1', w.events)).toEqual(w.state);
      }
    }
  });

  it('a reloaded state carries on exactly as before', () => {
    const s = run(imminent, [{ type: 'mark_done', stepId: 'stay' }]);
    const reloaded = JSON.parse(JSON.stringify(s)) as RunState;
    const e: RunEvent = { ...stamp, type: 'record_assessment', stepId: 'cssrs', answers: CSSRS_BY_RISK.high };
    expect(applyEvent(reloaded, e)).toEqual(applyEvent(s, e));
  });

  it('the run keeps the definition it started with', () => {
    const s = startRun(walkout, {}, T0, 'c').state;
    expect(s.definition).toEqual(walkout);
  });

  it('a walkout run started on version 1 keeps version 1: no next-session step, no new parameter', () => {
    const v1 = loadProtocol({
      ...walkout, version: 1,
      parameters: { walkoutWaitMinutes: walkout.parameters.walkoutWaitMinutes!, reachOutHours: walkout.parameters.reachOutHours! },
      steps: walkout.steps.filter((step) => step.id !== 'next-session'),
    });
    const old = JSON.parse(JSON.stringify(run(v1, [{ type: 'answer', stepId: 'danger-signs', value: 'no' }]))) as RunState;
    expect(old.definition.version).toBe(1);
    rejects(old, { type: 'mark_done', stepId: 'next-session' }, 'UNKNOWN_STEP');
    expect(() => startRun(v1, { nextSessionHours: 48 }, T0, 'c')).toThrow(expect.objectContaining({ code: 'UNKNOWN_PARAMETER' }));
    // the current version has the step
    expect(applyEvent(run(walkout, [{ type: 'answer', stepId: 'danger-signs', value: 'no' }]), { ...stamp, type: 'mark_done', stepId: 'next-session' }).followUps)
      .toEqual([expect.objectContaining({ kind: 'next-session', title: 'Book the next session' })]);
  });
});

describe('loadProtocol refuses bad definitions with a clear error', () => {
  const good: ProtocolInput = {
    key: 'demo', version: 1, title: 'Demo', discreetTitle: 'D', source: 'test',
    parameters: { waitMinutes: { default: 5, min: 1, max: 10, unit: 'minutes', description: 'wait' } },
    steps: [
      { id: 'q', kind: 'question', title: 'Q?', required: true, source: 's', options: [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }] },
      { id: 'w', kind: 'timer', minutes: 'waitMinutes', title: 'Wait', required: true, source: 's', when: { step: 'q', equals: 'yes' } },
    ],
  };
  const bad = (patch: (d: ProtocolInput) => void, message: RegExp) => {
    const d = structuredClone(good);
    patch(d);
    expect(() => loadProtocol(d)).toThrow(message);
    try { loadProtocol(d); } catch (e) { expect((e as ProtocolError).code).toBe('INVALID_DEFINITION'); }
  };

  it('accepts a good one', () => expect(loadProtocol(good).steps).toHaveLength(2));
  it.each<[string, (d: ProtocolInput) => void, RegExp]>([
    ['a step without a source', (d) => { delete (d.steps[0] as { source?: string }).source; }, /steps\.0\.source/],
    ['an unknown step kind', (d) => { (d.steps[0] as { kind: string }).kind = 'dance'; }, /steps\.0/],
    ['a duplicate id', (d) => { d.steps[1]!.id = 'q'; }, /"q" is used twice/],
    ['a condition on a later step', (d) => { d.steps.reverse(); }, /not an earlier step/],
    ['a condition on an impossible answer', (d) => { d.steps[1]!.when = { step: 'q', equals: 'maybe' }; }, /cannot produce it/],
    ['an unknown parameter', (d) => { (d.steps[1] as { minutes: string }).minutes = 'other'; }, /unknown parameter "other"/],
    ['a default outside its range', (d) => { d.parameters!.waitMinutes!.default = 50; }, /between min and max/],
    ['no discreet title', (d) => { delete (d as { discreetTitle?: string }).discreetTitle; }, /discreetTitle/],
  ])('%s', (_what, patch, message) => bad(patch, message));
});
