/**
 * The Columbia Suicide Severity Rating Scale, screener version ("recent": past month,
 * behaviour in the past 3 months), with its published skip logic and triage. Items and
 * risk levels carry their LOINC codes (panel 93373-9) so results can be exported.
 * Source: Posner et al., C-SSRS Screen Version, The Columbia Lighthouse Project.
 */
export const CSSRS_PANEL_LOINC = '93373-9';
export const CSSRS_RISK_LEVEL_LOINC = '93374-7';

export const CSSRS_ITEMS = [
  { key: 'q1', loinc: '93246-7', text: 'In the past month, have you wished you were dead or wished you could go to sleep and not wake up?' },
  { key: 'q2', loinc: '93247-5', text: 'In the past month, have you had any actual thoughts of killing yourself?' },
  { key: 'q3', loinc: '93248-3', text: 'Have you been thinking about how you might do this?' },
  { key: 'q4', loinc: '93249-1', text: 'Have you had these thoughts and had some intention of acting on them?' },
  { key: 'q5', loinc: '93250-9', text: 'Have you started to work out or worked out the details of how to kill yourself? Do you intend to carry out this plan?' },
  { key: 'q6', loinc: '93267-3', text: 'Have you ever done anything, started to do anything, or prepared to do anything to end your life?' },
  { key: 'q6b', loinc: '93269-9', text: 'Was this within the past 3 months?' },
] as const;

export type CssrsItemKey = (typeof CSSRS_ITEMS)[number]['key'];
export type CssrsAnswers = Partial<Record<CssrsItemKey, boolean>>;
export type CssrsRisk = 'none' | 'low' | 'moderate' | 'high';

/** Which items are asked, given the answers so far (the screener's skip logic). */
export function cssrsItemsToAsk(answers: CssrsAnswers): CssrsItemKey[] {
  const items: CssrsItemKey[] = ['q1', 'q2'];
  // Items 3-5 only when item 2 (active thoughts) is yes; otherwise go to item 6.
  if (answers.q2 === true) items.push('q3', 'q4', 'q5');
  items.push('q6');
  // 6b (within the past 3 months) only when item 6 is yes.
  if (answers.q6 === true) items.push('q6b');
  return items;
}

export type CssrsCheck = { ok: true } | { ok: false; problems: string[] };

/** Every item that should be asked is answered, and none that should be skipped. */
export function checkCssrsAnswers(answers: CssrsAnswers): CssrsCheck {
  const asked = new Set(cssrsItemsToAsk(answers));
  const problems: string[] = [];
  for (const item of CSSRS_ITEMS) {
    const answered = answers[item.key] !== undefined;
    if (asked.has(item.key) && !answered) problems.push(`${item.key} must be answered`);
    if (!asked.has(item.key) && answered) problems.push(`${item.key} is skipped by the screener and must not be answered`);
  }
  return problems.length ? { ok: false, problems } : { ok: true };
}

/**
 * Triage of a complete screener. High: intent (4) or a plan with intent (5), or
 * suicidal behaviour in the past 3 months (6 and 6b). Moderate: thoughts of a method (3),
 * or behaviour longer ago. Low: a wish to be dead (1) or non-specific thoughts (2) only.
 */
export function triageCssrs(a: CssrsAnswers): CssrsRisk {
  if (a.q4 || a.q5 || (a.q6 && a.q6b)) return 'high';
  if (a.q3 || (a.q6 && a.q6b === false)) return 'moderate';
  if (a.q1 || a.q2) return 'low';
  return 'none';
}
