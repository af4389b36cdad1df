// The numbers to call for the session's location, large and one tap away
// (DESIGN.md, "Crisis resources" and "Telehealth"). In discreet mode they fold
// behind a neutral "Resources" so nothing on screen alarms the client.
import { useId } from 'react';
import type { CrisisResource } from '../locations/location.ts';
import { Resource } from '../locations/crisis-resource.tsx';
import { resourceList, type CrisisResources } from './session.ts';

/** When the practice has set no location: the US numbers that work from anywhere. */
const NATIONAL: CrisisResource[] = [
  { kind: 'emergency', label: 'Emergency services', phone: '911', address: null },
  { kind: 'crisis_line', label: '988 Suicide & Crisis Lifeline (call or text)', phone: '988', address: null },
  { kind: 'poison_control', label: 'Poison Help', phone: '+18002221222', address: null },
];

function ResourceList({ crisis, label }: { crisis: CrisisResources | null; label: string }) {
  const list = resourceList(crisis);
  return (
    <>
      {crisis ? (
        <p className="muted crisis-for">
          For {crisis.locationName}
          {crisis.address ? <>, {crisis.address}</> : null}
        </p>
      ) : (
        <p className="muted crisis-for">No practice location is set for this session; these numbers work anywhere in the US.</p>
      )}
      <ul className="crisis-list session-crisis-list" aria-label={label}>
        {(list.length > 0 ? list : NATIONAL).map((r) => (
          <Resource key={`${r.kind}-${r.phone ?? r.label}`} resource={r} />
        ))}
      </ul>
    </>
  );
}

export function CrisisResourcesPanel({ crisis, discreet }: { crisis: CrisisResources | null; discreet: boolean }) {
  const headingId = useId();
  if (discreet) {
    return (
      <section className="panel session-panel session-resources" aria-label="Resources">
        <details className="resources-disclosure">
          <summary>Resources</summary>
          <ResourceList crisis={crisis} label="Resources" />
        </details>
      </section>
    );
  }
  return (
    <section className="panel session-panel session-resources" aria-labelledby={headingId}>
      <h2 id={headingId}>Crisis resources</h2>
      <ResourceList crisis={crisis} label="Crisis resources" />
    </section>
  );
}
