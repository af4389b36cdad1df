import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ESCALATION_POLICY, EscalationPolicySchema, escalationSteps, nextEscalation, nextReachable, waitMinutesAt, type EscalationPolicy,
} from './escalation.ts';

const policy = (levels: number, rounds: number): EscalationPolicy => ({
  levels: Array.from({ length: levels }, (_, i) => ({ target: (['supervisor', 'on_call', 'owner'] as const)[i % 3]!, waitMinutes: i + 1 })),
  rounds, onCallUserIds: [],
});

describe('the next step of an escalation', () => {
  it.each([
    // levels, rounds, at level, at round → next
    [3, 2, 0, 1, { level: 1, round: 1 }],
    [3, 2, 1, 1, { level: 2, round: 1 }],
    [3, 2, 2, 1, { level: 0, round: 2 }],
    [3, 2, 0, 2, { level: 1, round: 2 }],
    [3, 2, 2, 2, 'exhausted'],
    [1, 1, 0, 1, 'exhausted'],
    [1, 3, 0, 1, { level: 0, round: 2 }],
    [1, 3, 0, 3, 'exhausted'],
    [5, 10, 4, 9, { level: 0, round: 10 }],
    [5, 10, 4, 10, 'exhausted'],
    // the policy was shortened while a page stood at a level it no longer has: that round is over
    [2, 2, 4, 1, { level: 0, round: 2 }],
    [2, 2, 4, 2, 'exhausted'],
    // fewer rounds than the page has reached
    [3, 1, 0, 2, 'exhausted'],
  ] as const)('%i levels × %i rounds, after level %i of round %i → %o', (levels, rounds, level, round, expected) => {
    expect(nextEscalation(policy(levels, rounds), level, round)).toEqual(expected);
  });

  it('walks every level of every round once, in order', () => {
    expect(escalationSteps(policy(3, 2))).toEqual([
      { level: 0, round: 1 }, { level: 1, round: 1 }, { level: 2, round: 1 },
      { level: 0, round: 2 }, { level: 1, round: 2 }, { level: 2, round: 2 },
    ]);
    expect(escalationSteps(policy(5, 10))).toHaveLength(50);
  });

  it("waits each level's own minutes; a level the policy no longer has waits as long as its last", () => {
    const p = policy(3, 1);
    expect([0, 1, 2, 7].map((l) => waitMinutesAt(p, l))).toEqual([1, 2, 3, 3]);
  });
});

describe('the escalation policy', () => {
  const valid = { levels: [{ target: 'supervisor', waitMinutes: 2 }], rounds: 1, onCallUserIds: [] };

  it('accepts the default and a small valid policy', () => {
    expect(EscalationPolicySchema.parse(DEFAULT_ESCALATION_POLICY)).toEqual(DEFAULT_ESCALATION_POLICY);
    expect(EscalationPolicySchema.safeParse(valid).success).toBe(true);
  });

  it('is the supervisor for 2 minutes, on call for 3, the owner for 5, twice, when nothing is saved', () => {
    expect(DEFAULT_ESCALATION_POLICY).toEqual({
      levels: [{ target: 'supervisor', waitMinutes: 2 }, { target: 'on_call', waitMinutes: 3 }, { target: 'owner', waitMinutes: 5 }],
      rounds: 2, onCallUserIds: [],
    });
  });

  it.each([
    ['no levels', { ...valid, levels: [] }],
    ['six levels', { ...valid, levels: Array.from({ length: 6 }, () => ({ target: 'owner', waitMinutes: 1 })) }],
    ['an unknown target', { ...valid, levels: [{ target: 'front_desk', waitMinutes: 2 }] }],
    ['a wait of 0 minutes', { ...valid, levels: [{ target: 'owner', waitMinutes: 0 }] }],
    ['a wait over an hour', { ...valid, levels: [{ target: 'owner', waitMinutes: 61 }] }],
    ['a fractional wait', { ...valid, levels: [{ target: 'owner', waitMinutes: 1.5 }] }],
    ['0 rounds', { ...valid, rounds: 0 }],
    ['11 rounds', { ...valid, rounds: 11 }],
    ['an on-call id that is not a uuid', { ...valid, onCallUserIds: ['dr-x'] }],
    ['the same on-call person twice', { ...valid, onCallUserIds: ['6f1c1f4e-2b1a-4c53-9b52-1f0b0c7c2a11', '6f1c1f4e-2b1a-4c53-9b52-1f0b0c7c2a11'] }],
    ['an unknown field', { ...valid, escalateTo: 'everyone' }],
    ['a level with an unknown field', { ...valid, levels: [{ target: 'owner', waitMinutes: 2, sms: true }] }],
  ])('refuses %s', (_what, input) => {
    expect(EscalationPolicySchema.safeParse(input).success).toBe(false);
  });
});

describe('levels that would page nobody', () => {
  const p: EscalationPolicy = {
    levels: [{ target: 'supervisor', waitMinutes: 2 }, { target: 'on_call', waitMinutes: 3 }, { target: 'owner', waitMinutes: 5 }],
    rounds: 2, onCallUserIds: [],
  };
  const only = (...targets: string[]) => (t: string) => targets.includes(t);

  it.each([
    // reachable targets, after → step, skipped
    [['supervisor', 'on_call', 'owner'], null, { level: 0, round: 1 }, []],
    [['on_call', 'owner'], null, { level: 1, round: 1 }, [{ level: 0, round: 1 }]],
    [['owner'], null, { level: 2, round: 1 }, [{ level: 0, round: 1 }, { level: 1, round: 1 }]],
    [['supervisor', 'owner'], { level: 0, round: 1 }, { level: 2, round: 1 }, [{ level: 1, round: 1 }]],
    [['supervisor'], { level: 0, round: 1 }, { level: 0, round: 2 }, [{ level: 1, round: 1 }, { level: 2, round: 1 }]],
    [['supervisor'], { level: 0, round: 2 }, 'exhausted', [{ level: 1, round: 2 }, { level: 2, round: 2 }]],
    [['owner'], { level: 2, round: 2 }, 'exhausted', []],
    [[], null, 'exhausted', [0, 1, 2].flatMap((level) => [{ level, round: 1 }]).concat([0, 1, 2].map((level) => ({ level, round: 2 })))],
  ] as const)('reachable %o, after %o → %o', (targets, after, step, skipped) => {
    expect(nextReachable(p, after, only(...targets))).toEqual({ step, skipped });
  });
});
