// The screener's answers as the form keeps them: changing an answer drops the answers
// to items that are no longer asked (items 3–5 after 2 turns to no; 6b after 6 does).
import { cssrsItemsToAsk, type CssrsAnswers, type CssrsItemKey } from '../../domain/cssrs.ts';

export function withAnswer(answers: CssrsAnswers, key: CssrsItemKey, yes: boolean): CssrsAnswers {
  const next: CssrsAnswers = { ...answers, [key]: yes };
  const asked = new Set(cssrsItemsToAsk(next));
  for (const k of Object.keys(next) as CssrsItemKey[]) if (!asked.has(k)) delete next[k];
  return next;
}
