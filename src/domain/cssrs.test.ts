import { describe, expect, it } from 'vitest';
import { checkCssrsAnswers, cssrsItemsToAsk, triageCssrs, type CssrsAnswers, type CssrsRisk } from './cssrs.ts';

/**
 * Every answer combination the screener's skip logic allows (54), with its triage as the
 * issue states it: high when 4 or 5 is yes, or 6 within the past 3 months; moderate when
 * 3 is yes, or 6 longer ago; low when only 1 or 2 is yes; none otherwise.
 */
const TABLE: [string, CssrsRisk][] = [
  ['q1y q2y q3y q4y q5y q6y q6by', 'high'],
  ['q1y q2y q3y q4y q5y q6y q6bn', 'high'],
  ['q1y q2y q3y q4y q5y q6n', 'high'],
  ['q1y q2y q3y q4y q5n q6y q6by', 'high'],
  ['q1y q2y q3y q4y q5n q6y q6bn', 'high'],
  ['q1y q2y q3y q4y q5n q6n', 'high'],
  ['q1y q2y q3y q4n q5y q6y q6by', 'high'],
  ['q1y q2y q3y q4n q5y q6y q6bn', 'high'],
  ['q1y q2y q3y q4n q5y q6n', 'high'],
  ['q1y q2y q3y q4n q5n q6y q6by', 'high'],
  ['q1y q2y q3y q4n q5n q6y q6bn', 'moderate'],
  ['q1y q2y q3y q4n q5n q6n', 'moderate'],
  ['q1y q2y q3n q4y q5y q6y q6by', 'high'],
  ['q1y q2y q3n q4y q5y q6y q6bn', 'high'],
  ['q1y q2y q3n q4y q5y q6n', 'high'],
  ['q1y q2y q3n q4y q5n q6y q6by', 'high'],
  ['q1y q2y q3n q4y q5n q6y q6bn', 'high'],
  ['q1y q2y q3n q4y q5n q6n', 'high'],
  ['q1y q2y q3n q4n q5y q6y q6by', 'high'],
  ['q1y q2y q3n q4n q5y q6y q6bn', 'high'],
  ['q1y q2y q3n q4n q5y q6n', 'high'],
  ['q1y q2y q3n q4n q5n q6y q6by', 'high'],
  ['q1y q2y q3n q4n q5n q6y q6bn', 'moderate'],
  ['q1y q2y q3n q4n q5n q6n', 'low'],
  ['q1y q2n q6y q6by', 'high'],
  ['q1y q2n q6y q6bn', 'moderate'],
  ['q1y q2n q6n', 'low'],
  ['q1n q2y q3y q4y q5y q6y q6by', 'high'],
  ['q1n q2y q3y q4y q5y q6y q6bn', 'high'],
  ['q1n q2y q3y q4y q5y q6n', 'high'],
  ['q1n q2y q3y q4y q5n q6y q6by', 'high'],
  ['q1n q2y q3y q4y q5n q6y q6bn', 'high'],
  ['q1n q2y q3y q4y q5n q6n', 'high'],
  ['q1n q2y q3y q4n q5y q6y q6by', 'high'],
  ['q1n q2y q3y q4n q5y q6y q6bn', 'high'],
  ['q1n q2y q3y q4n q5y q6n', 'high'],
  ['q1n q2y q3y q4n q5n q6y q6by', 'high'],
  ['q1n q2y q3y q4n q5n q6y q6bn', 'moderate'],
  ['q1n q2y q3y q4n q5n q6n', 'moderate'],
  ['q1n q2y q3n q4y q5y q6y q6by', 'high'],
  ['q1n q2y q3n q4y q5y q6y q6bn', 'high'],
  ['q1n q2y q3n q4y q5y q6n', 'high'],
  ['q1n q2y q3n q4y q5n q6y q6by', 'high'],
  ['q1n q2y q3n q4y q5n q6y q6bn', 'high'],
  ['q1n q2y q3n q4y q5n q6n', 'high'],
  ['q1n q2y q3n q4n q5y q6y q6by', 'high'],
  ['q1n q2y q3n q4n q5y q6y q6bn', 'high'],
  ['q1n q2y q3n q4n q5y q6n', 'high'],
  ['q1n q2y q3n q4n q5n q6y q6by', 'high'],
  ['q1n q2y q3n q4n q5n q6y q6bn', 'moderate'],
  ['q1n q2y q3n q4n q5n q6n', 'low'],
  ['q1n q2n q6y q6by', 'high'],
  ['q1n q2n q6y q6bn', 'moderate'],
  ['q1n q2n q6n', 'none'],
];

const parse = (code: string): CssrsAnswers =>
  Object.fromEntries(code.split(' ').map((part) => [part.slice(0, -1), part.endsWith('y')]));

describe('C-SSRS screener triage', () => {
  it('covers every combination the skip logic allows, once', () => {
    expect(TABLE).toHaveLength(54);
    expect(new Set(TABLE.map(([code]) => code)).size).toBe(54);
  });

  it.each(TABLE)('%s → %s', (code, expected) => {
    const answers = parse(code);
    expect(checkCssrsAnswers(answers)).toEqual({ ok: true });
    expect(triageCssrs(answers)).toBe(expected);
  });

  it('asks items 3-5 only after a yes to item 2, and 6b only after a yes to item 6', () => {
    expect(cssrsItemsToAsk({ q1: true, q2: false })).toEqual(['q1', 'q2', 'q6']);
    expect(cssrsItemsToAsk({ q1: true, q2: true })).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6']);
    expect(cssrsItemsToAsk({ q1: false, q2: false, q6: true })).toEqual(['q1', 'q2', 'q6', 'q6b']);
  });

  it('refuses answers the skip logic forbids, and missing ones', () => {
    expect(checkCssrsAnswers({ q1: true, q2: false, q3: true, q6: false })).toEqual({ ok: false, problems: ['q3 is skipped by the screener and must not be answered'] });
    expect(checkCssrsAnswers({ q1: true, q2: true, q6: false })).toMatchObject({ ok: false });
    expect(checkCssrsAnswers({ q1: true, q2: false, q6: true })).toEqual({ ok: false, problems: ['q6b must be answered'] });
  });

  it("Riley's screener in scenario S2 (1-4 yes, 5 no, 6 no) is high", () => {
    expect(triageCssrs({ q1: true, q2: true, q3: true, q4: true, q5: false, q6: false })).toBe('high');
  });
});
