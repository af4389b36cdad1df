import { Link } from 'react-router';
import type { NextSessionWarning } from './aftercare.ts';

/** "Next session for Jordan Reyes due by Mon 30 Nov — none booked": calm, and a link to the client to book. */
export function NextSessionWarnings({ warnings, linkToClient = true }: { warnings: NextSessionWarning[]; linkToClient?: boolean }) {
  if (warnings.length === 0) return null;
  return (
    <div className="notice next-session-warnings" role="status">
      <ul>
        {warnings.map((w) => (
          <li key={w.followUpId}>
            {w.message}
            {linkToClient && (
              <>
                {' · '}
                <Link to={`/clients/${encodeURIComponent(w.client.id)}`}>Open {w.client.name}</Link>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
