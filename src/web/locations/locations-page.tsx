// The practice's locations and, for each, the numbers to call in an emergency.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { SavedStatus } from '../clients/client-form.tsx';
import { can, useMe } from '../session.tsx';
import { Loading, ProblemAlert, usePageTitle } from '../ui.tsx';
import { LocationForm } from './location-form.tsx';
import type { Location } from './location.ts';
import { Resource } from './crisis-resource.tsx';

function LocationCard({ location, canManage, onSaved }: { location: Location; canManage: boolean; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState('');
  const editButton = useRef<HTMLButtonElement>(null);
  const headingId = `location-${location.id}`;

  function close() {
    setEditing(false);
    window.setTimeout(() => editButton.current?.focus(), 0);
  }

  return (
    <li className="panel location-card" aria-labelledby={headingId}>
      <div className="panel-head">
        <h2 id={headingId}>{location.name}</h2>
        {canManage && (
          <button
            ref={editButton}
            type="button"
            className="secondary"
            aria-label={`Edit ${location.name}`}
            aria-expanded={editing}
            aria-controls={editing ? `edit-location-${location.id}` : undefined}
            onClick={() => {
              setSaved('');
              setEditing((e) => !e);
            }}
          >
            Edit
          </button>
        )}
      </div>
      <p className="address">{location.address}</p>
      {location.timeZone && <p className="muted">Time zone: {location.timeZone}</p>}
      {editing ? (
        <LocationForm
          location={location}
          onSaved={(name) => {
            setSaved(`Changes to ${name} saved.`);
            close();
            onSaved();
          }}
          onCancel={close}
        />
      ) : (
        <ul className="crisis-list" aria-label={`Crisis resources for ${location.name}`}>
          {location.crisisResources.map((r) => (
            <Resource key={`${r.kind}-${r.label}`} resource={r} />
          ))}
        </ul>
      )}
      <SavedStatus text={saved} />
    </li>
  );
}

export function LocationsPage() {
  usePageTitle('Locations');
  const me = useMe();
  const canManage = can(me, 'locations.manage');
  const [locations, setLocations] = useState<Location[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [attempt, setAttempt] = useState(0);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<{ locations: Location[] }>('/api/locations', { signal: ctrl.signal })
      .then((r) => {
        setLocations(r.locations);
        setProblem(null);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, [attempt]);

  return (
    <div className="locations-page">
      <h1>Locations and crisis resources</h1>
      <p className="lede">
        The numbers to call for each place where the practice sees clients. Protocols and the telehealth check show them when they
        are needed.
      </p>
      <ProblemAlert problem={problem} />
      {locations === null ? (
        !problem && <Loading what="Loading the locations…" />
      ) : locations.length === 0 ? (
        <section aria-labelledby="no-locations-heading" className="panel">
          <h2 id="no-locations-heading">No locations yet</h2>
          <p>
            {canManage
              ? 'Add the first one below, with the emergency department and mobile crisis team nearest to it.'
              : 'Your practice owner or an administrator adds them.'}
          </p>
        </section>
      ) : (
        <ul className="location-list">
          {locations.map((l) => (
            <LocationCard key={l.id} location={l} canManage={canManage} onSaved={reload} />
          ))}
        </ul>
      )}
      {canManage && (
        <section aria-labelledby="add-location-heading" className="panel" id="add-location">
          <h2 id="add-location-heading">Add a location</h2>
          <LocationForm location={null} onSaved={reload} />
        </section>
      )}
    </div>
  );
}
