import { GAP_WORDS, RISK_NAMES, type Readiness, type RiskLevel } from './client.ts';

/** Risk in words, with a border that grows with the level (never colour alone, never red). */
export function RiskBadge({ level }: { level: RiskLevel | 'unknown' | undefined }) {
  const l = level ?? 'unknown';
  return <span className={`risk-badge risk-${l}`}>{RISK_NAMES[l]}</span>;
}

/** What is missing from the client's preparation, in plain words; "Ready" when nothing is. */
export function ReadinessChips({ readiness, label = 'Readiness' }: { readiness: Readiness; label?: string }) {
  if (readiness.gaps.length === 0) {
    return (
      <ul className="chips" aria-label={label}>
        <li className="chip chip-ready">Ready</li>
      </ul>
    );
  }
  return (
    <ul className="chips" aria-label={label}>
      {readiness.gaps.map((gap) => (
        <li key={gap} className="chip chip-gap">
          {GAP_WORDS[gap]}
        </li>
      ))}
    </ul>
  );
}
