import { describe, expect, it } from 'vitest';
import { DEFAULT_ESCALATION_POLICY } from '../../domain/escalation.ts';
import {
  amountText, checkParameters, checkPolicy, describePolicy, listWords, moved, parameterProblemText, parametersBody, policyBody, policyDraft,
  previewPolicy, samePolicy, type ProtocolParameters,
} from './emergency-settings.ts';

describe('the escalation policy in plain words', () => {
  it('the default: supervisor, then on call, then the owner, twice', () => {
    expect(describePolicy(DEFAULT_ESCALATION_POLICY, ['Dr. Jo Okafor', 'Dr. Sam Patel'])).toEqual([
      "A page goes to the clinician's supervisor; if nobody acknowledges within 2 minutes, to the on-call clinicians (Dr. Jo Okafor and Dr. Sam Patel); if nobody acknowledges within 3 minutes, to the practice owner.",
      'If nobody acknowledges within 5 minutes of the last level, the sequence starts again from the beginning, once more (2 rounds in all).',
      'If nobody has acknowledged after the last round, paging stops and the page is marked unanswered; it can still be acknowledged.',
      'Everyone paged keeps the alert on screen until someone acknowledges it. Paging runs for up to 20 minutes in all.',
    ]);
  });

  it('one level, one round, and nobody on call at a level that needs them', () => {
    expect(describePolicy({ levels: [{ target: 'on_call', waitMinutes: 1 }], rounds: 1 }, [])).toEqual([
      'A page goes to the on-call clinicians (nobody is on call now).',
      'If nobody acknowledges within 1 minute of the last level, paging stops and the page is marked unanswered; it can still be acknowledged.',
      'Everyone paged keeps the alert on screen until someone acknowledges it. Paging runs for up to 1 minute in all.',
      'While nobody is on call, the on-call level is passed over.',
    ]);
    expect(describePolicy({ levels: [{ target: 'owner', waitMinutes: 4 }], rounds: 4 }, [])[1]).toMatch(/again from the beginning, 3 more times \(4 rounds in all\)/);
  });

  it('lists names the way people say them', () => {
    expect([listWords([]), listWords(['A']), listWords(['A', 'B']), listWords(['A', 'B', 'C'])]).toEqual(['', 'A', 'A and B', 'A, B and C']);
  });
});

describe('the escalation policy form', () => {
  it('round-trips the saved policy and sees no change', () => {
    const draft = policyDraft(DEFAULT_ESCALATION_POLICY);
    expect(checkPolicy(draft)).toEqual([]);
    expect(samePolicy(policyBody(draft), DEFAULT_ESCALATION_POLICY)).toBe(true);
  });

  it('refuses waits and rounds out of range, and half-typed numbers, naming each field as the API does', () => {
    const draft = policyDraft(DEFAULT_ESCALATION_POLICY);
    const bad = { ...draft, levels: draft.levels.map((l, i) => ({ ...l, waitMinutes: ['0', '61', '2.5'][i]! })), rounds: '11' };
    expect(checkPolicy(bad).map((e) => e.path)).toEqual(['levels.0.waitMinutes', 'levels.1.waitMinutes', 'levels.2.waitMinutes', 'rounds']);
    expect(checkPolicy({ ...draft, levels: [] }).map((e) => e.path)).toEqual(['levels']);
    // The preview copes with what is being typed.
    expect(previewPolicy({ ...draft, rounds: '' }).rounds).toBe(1);
  });

  it('moves a level up or down, never off the ends', () => {
    expect(moved(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    const same = ['a', 'b'];
    expect(moved(same, 0, -1)).toBe(same);
    expect(moved(same, 1, 1)).toBe(same);
  });
});

describe('the numbers in a protocol', () => {
  const walkout: ProtocolParameters = {
    key: 'client-walks-out',
    title: 'Client walks out',
    parameters: {
      walkoutWaitMinutes: { default: 10, min: 0, max: 50, unit: 'minutes', description: 'How long to wait for the client to come back' },
      reachOutHours: { default: 8, min: 1, max: 24, unit: 'hours', description: 'Reach out to the client within this many hours (same day)' },
    },
    values: { walkoutWaitMinutes: 15, reachOutHours: 8 },
  };

  it('sends only what differs from the protocol default', () => {
    expect(parametersBody(walkout, { walkoutWaitMinutes: '15', reachOutHours: '8' })).toEqual({ values: { walkoutWaitMinutes: 15 } });
    expect(parametersBody(walkout, { walkoutWaitMinutes: '10', reachOutHours: '8' })).toEqual({ values: {} });
  });

  it('checks each number against its range, zero included where allowed', () => {
    expect(checkParameters(walkout, { walkoutWaitMinutes: '0', reachOutHours: '24' })).toEqual([]);
    expect(checkParameters(walkout, { walkoutWaitMinutes: '51', reachOutHours: '' }).map((e) => e.path)).toEqual(['values.walkoutWaitMinutes', 'values.reachOutHours']);
  });

  it("says the API's parameter name in the protocol's words", () => {
    expect(parameterProblemText(walkout, 'walkoutWaitMinutes must be between 0 and 50 minutes; got 70')).toEqual({
      detail: '"How long to wait for the client to come back" must be between 0 and 50 minutes; got 70',
      names: ['walkoutWaitMinutes'],
    });
  });

  it('says amounts with their unit', () => {
    expect([amountText(1, 'hours'), amountText(10, 'minutes'), amountText(1, 'days')]).toEqual(['1 hour', '10 minutes', '1 day']);
  });
});
