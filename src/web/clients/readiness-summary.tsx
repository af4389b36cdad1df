import { POLICY_WORDS, type Readiness } from './client.ts';

interface Item {
  ok: boolean;
  what: string;
  text: string;
  href: string;
}

function items(r: Readiness): Item[] {
  return [
    {
      ok: r.safetyPlan,
      what: 'Safety plan',
      text: r.safetyPlan ? 'A safety plan is in place.' : 'No safety plan yet.',
      href: '#safety-plan',
    },
    {
      ok: r.callableEmergencyContact,
      what: 'Emergency contact',
      text: r.callableEmergencyContact
        ? 'At least one emergency contact may be called in an emergency.'
        : 'No emergency contact we may call yet. Add one, with the client’s consent to be called.',
      href: '#contacts',
    },
    {
      ok: r.policy === 'current' || r.policy === 'no_policy',
      what: 'Policy',
      text: POLICY_WORDS[r.policy],
      href: '#policy',
    },
  ];
}

/** Whether the preparation for an emergency is in place, item by item, in words. */
export function ReadinessSummary({ readiness }: { readiness: Readiness }) {
  const list = items(readiness);
  const missing = list.filter((i) => !i.ok).length;
  return (
    <section aria-labelledby="readiness-heading" className="panel readiness" id="readiness">
      <h2 id="readiness-heading">Readiness</h2>
      <p>
        {missing === 0
          ? 'Everything the practice prepares for an emergency is in place.'
          : `${missing === 1 ? 'One thing is' : `${missing} things are`} still to prepare with the client.`}
      </p>
      <ul className="readiness-list">
        {list.map((i) => (
          <li key={i.what} className={i.ok ? 'in-place' : 'to-do'}>
            <span className="readiness-state">{i.ok ? 'In place' : 'To do'}</span>
            <span>
              <span className="strong">{i.what}:</span> {i.text}{' '}
              {!i.ok && (
                <a href={i.href} className="readiness-go">
                  Go to {i.what.toLowerCase()}
                </a>
              )}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
