import { describe, expect, it } from 'vitest';
import type { CssrsRisk } from '../cssrs.ts';
import { builtInProtocol } from './catalog.ts';
import { followUpsRequested, visibleSteps, type RunState } from './run.ts';
import { at, CSSRS_BY_RISK, T0, walkAllPaths } from './walk.test-helpers.ts';

const ids = (s: RunState) => visibleSteps(s).map((v) => v.definition.id);
const def = (key: string) => builtInProtocol(key)!;
/** The finished path whose choices include all of `choices`. */
function path(key: string, ...choices: string[]) {
  const found = walkAllPaths(def(key)).filter((w) => choices.every((c) => w.choices.includes(c)));
  if (found.length === 0) throw new Error(`no path ${choices.join(' ')}`);
  return found[0]!;
}

describe('imminent risk to self: the C-SSRS triage picks the branch', () => {
  const branches: [CssrsRisk, string[]][] = [
    ['high', ['emergency-services', 'not-alone', 'emergency-contact-high', 'hospitalization-route', 'means-safety', 'page-supervisor-high', 'contact-high']],
    ['moderate', ['safety-plan-now', 'supervisor-consult', 'contact-moderate', 'next-session-moderate']],
    ['low', ['review-safety-plan', 'crisis-line', 'next-session-low']],
    ['none', ['review-safety-plan', 'crisis-line', 'next-session-low']],
  ];
  it.each(branches)('%s risk shows exactly its steps', (risk, steps) => {
    const w = path('imminent-risk-to-self', `cssrs=${risk}`);
    expect(w.state.steps.cssrs!.answers).toEqual(CSSRS_BY_RISK[risk]);
    expect(ids(w.state)).toEqual(['stay', 'cssrs', ...steps, 'notes']);
  });

  it('moderate risk asks for contact within 24 h and a session within 72 h of the step', () => {
    const w = path('imminent-risk-to-self', 'cssrs=moderate');
    const due = followUpsRequested(w.state).map((f) => [f.kind, f.dueAt]);
    const doneAt = (id: string) => Date.parse(w.state.steps[id]!.at!);
    expect(due).toEqual([
      ['contact-client', new Date(doneAt('contact-moderate') + 24 * 3_600_000).toISOString()],
      ['next-session', new Date(doneAt('next-session-moderate') + 72 * 3_600_000).toISOString()],
    ]);
  });
});

describe('threat to others: the duty to protect (Cal. Civ. Code 43.92)', () => {
  const duty = ['warn-victim', 'notify-police', 'wic-8105-report'];
  const cases: [string, string, string, boolean][] = [
    ['yes', 'yes', 'client', true],
    ['yes', 'yes', 'family_member', true], // Ewing v. Goldstein
    ['yes', 'yes', 'other', false],
    ['no', 'yes', 'client', false],
    ['yes', 'no', 'client', false],
    ['no', 'no', 'family_member', false],
  ];
  it.each(cases)('serious=%s victim=%s from=%s → applies %s', (serious, victim, from, applies) => {
    const w = path('threat-to-others', `serious-threat=${serious}`, `identifiable-victim=${victim}`, `communicated-by=${from}`);
    expect(w.state.steps.duty!.value).toBe(applies ? 'applies' : 'does_not_apply');
    const shown = ids(w.state);
    for (const id of duty) expect(shown.includes(id)).toBe(applies);
    expect(shown).toContain('consult');
    expect(w.state.steps['exact-words']!.text).toBe('words');
  });

  it('the WIC 8105(c) report is due 24 h from the start of the run', () => {
    const w = path('threat-to-others', 'serious-threat=yes', 'identifiable-victim=yes', 'communicated-by=client');
    expect(followUpsRequested(w.state)).toEqual([
      expect.objectContaining({ kind: 'wic-8105-report', dueAt: '2026-11-23T10:00:00.000Z' }),
    ]);
  });
});

describe('the other protocols branch on their answers', () => {
  const table: [string, string[], string[], string[]][] = [
    // protocol, choices, steps that must show, steps that must not
    ['medical-emergency', ['needs-911=yes', 'end-or-pause=end'], ['call-911', 'reschedule', 'check-in'], []],
    ['medical-emergency', ['needs-911=no', 'end-or-pause=pause'], ['stay', 'check-in'], ['call-911', 'reschedule']],
    // with danger signs the imminent-risk protocol sets the next session itself
    ['client-walks-out', ['danger-signs=yes'], ['imminent-risk', 'reflect', 'agenda'], ['wait', 'returned', 'reach-out', 'next-session']],
    ['client-walks-out', ['danger-signs=no', 'returned=no'], ['wait', 'reach-out', 'reflect', 'agenda', 'next-session', 'approach'], ['imminent-risk']],
    ['client-walks-out', ['danger-signs=no', 'returned=yes'], ['wait', 'reflect', 'next-session'], ['reach-out', 'imminent-risk']],
    ['client-leaves-triggered', ['distress-before=10', 'distress-after=0', 'safe-to-leave=yes'], ['grounding', 'safety-plan', 'coping', 'check-in', 'next-session'], ['imminent-risk']],
    ['client-leaves-triggered', ['safe-to-leave=no'], ['imminent-risk', 'check-in'], []],
    ['clinician-emergency', ['can-wait=yes'], ['continue', 'notes'], ['excuse', 'reschedule', 'follow-up']],
    ['clinician-emergency', ['can-wait=no'], ['excuse', 'reschedule', 'follow-up', 'notes'], ['continue']],
    ['stepping-out', [], ['tell-client', 'records-hidden', 'away', 'reason'], []],
    ['telehealth-disconnection', ['reconnected=yes'], ['reconnect', 'resume', 'notes'], ['call-back', 'reached', 'dispatch']],
    ['telehealth-disconnection', ['reconnected=no', 'reached=yes'], ['call-back', 'reached'], ['dispatch']],
    ['telehealth-disconnection', ['reconnected=no', 'reached=no'], ['call-back', 'dispatch'], []],
  ];
  it.each(table)('%s %j', (key, choices, shown, hidden) => {
    const visible = ids(path(key, ...choices).state);
    for (const id of shown) expect(visible).toContain(id);
    for (const id of hidden) expect(visible).not.toContain(id);
  });

  it('the walkout reach-out is due the same day; the scale answers are recorded', () => {
    const w = path('client-walks-out', 'danger-signs=no', 'returned=no');
    expect(followUpsRequested(w.state)[0]).toMatchObject({ kind: 'reach-out', title: 'Reach out to the client today' });
    expect(path('client-leaves-triggered', 'distress-before=10').state.steps['distress-before']!.value).toBe(10);
  });

  it('the walkout asks for the next session within 7 days of the step (SCENARIOS S1), an optional step', () => {
    const w = path('client-walks-out', 'danger-signs=no', 'returned=no');
    const next = followUpsRequested(w.state).find((f) => f.kind === 'next-session')!;
    expect(next).toMatchObject({ stepId: 'next-session', title: 'Book the next session' });
    expect(Date.parse(next.dueAt) - Date.parse(w.state.steps['next-session']!.at!)).toBe(168 * 3_600_000);
    const step = def('client-walks-out').steps.find((s) => s.id === 'next-session')!;
    expect(step).toMatchObject({ kind: 'action', action: 'schedule_next_session', required: false });
    expect(def('client-walks-out').parameters.nextSessionHours).toMatchObject({ default: 168, min: 24, max: 336, unit: 'hours' });
  });

  it('time away is logged when stepping out', () => {
    const w = path('stepping-out');
    expect(w.state.steps.away!.timer).toEqual({ startedAt: at(3), dueAt: at(8), finishedAt: at(4) });
    expect(w.state.startedAt).toBe(T0);
  });
});
