// The C-SSRS screener (recent) inside a protocol: the six items with the published skip
// logic (3–5 only when 2 is yes; 6b only when 6 is yes), and the triage shown before it is
// recorded. Source: Posner et al., C-SSRS Screen Version (see src/domain/cssrs.ts).
import { useId, useState, type FormEvent } from 'react';
import { checkCssrsAnswers, CSSRS_ITEMS, cssrsItemsToAsk, triageCssrs, type CssrsAnswers, type CssrsItemKey, type CssrsRisk } from '../../domain/cssrs.ts';
import { withAnswer } from './cssrs-answers.ts';
import type { StepProps } from './steps/step-props.ts';

const WHY: Record<CssrsRisk, string> = {
  high: 'High: intent (item 4) or a plan with intent (item 5), or suicidal behaviour in the past 3 months.',
  moderate: 'Moderate: thoughts about how (item 3), or suicidal behaviour longer than 3 months ago.',
  low: 'Low: a wish to be dead or thoughts of suicide (items 1–2) only.',
  none: 'None: no to every item.',
};

function itemNumber(key: CssrsItemKey): string {
  return key.slice(1);
}

export function CssrsForm({ step, discreet, act }: StepProps<'assessment'>) {
  const [answers, setAnswers] = useState<CssrsAnswers>({});
  const [tried, setTried] = useState(false);
  const baseId = useId();
  const asked = cssrsItemsToAsk(answers);
  const complete = checkCssrsAnswers(answers).ok;
  const risk = complete ? triageCssrs(answers) : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!complete) {
      setTried(true);
      return;
    }
    if (act({ type: 'record_assessment', stepId: step.id, answers })) setAnswers({});
  }

  return (
    <form className="step-form cssrs" onSubmit={submit} noValidate>
      <p className="hint">Ask each question as written. Past month, unless it says otherwise.</p>
      {CSSRS_ITEMS.filter((item) => asked.includes(item.key)).map((item) => {
        const name = `${baseId}-${item.key}`;
        const unanswered = tried && answers[item.key] === undefined;
        return (
          <fieldset key={item.key} className="choices cssrs-item" aria-invalid={unanswered || undefined}>
            <legend>
              <span className="cssrs-number">{itemNumber(item.key)}.</span> {item.text}
            </legend>
            <div className="choice-tiles">
              {[true, false].map((yes) => (
                <label key={String(yes)} className="choice-tile">
                  <input
                    type="radio"
                    name={name}
                    checked={answers[item.key] === yes}
                    onChange={() => setAnswers((a) => withAnswer(a, item.key, yes))}
                  />
                  <span>{yes ? 'Yes' : 'No'}</span>
                </label>
              ))}
            </div>
          </fieldset>
        );
      })}
      <div className="cssrs-result" role="status">
        {risk === null ? (
          <p className="muted">{tried ? 'Answer every question shown.' : 'The result shows here when every question shown is answered.'}</p>
        ) : discreet ? (
          <p>Screener complete. Record it to continue.</p>
        ) : (
          <>
            <p>
              Result: <span className={`risk-badge risk-${risk}`}>{risk === 'none' ? 'No risk identified' : `${risk[0]!.toUpperCase()}${risk.slice(1)} risk`}</span>
            </p>
            <p className="hint">{WHY[risk]} The protocol's next steps follow from it.</p>
          </>
        )}
      </div>
      <button type="submit" className="primary step-go">
        Record screener
      </button>
    </form>
  );
}
