// Read-only mode for a record opened by break-glass (issue 6): the panels read it to hide
// their edit, create and delete controls; panels whose content is not for an emergency
// reader say so in one calm line instead of failing.
import { createContext, useContext, useEffect, useId, useState } from 'react';
import { api, isAbort } from '../api.ts';
import { can, useMe } from '../session.tsx';

/** A clinician's emergency access to a client outside their care team. */
export interface BreakGlassGrant { id: string; clientId: string; reason: string; grantedAt: string; expiresAt: string }

/** True while the record on screen is open under a break-glass grant: nothing on it may be changed. */
export const ReadOnlyContext = createContext(false);

export function useReadOnly(): boolean {
  return useContext(ReadOnlyContext);
}

/**
 * The caller's active grant on a client: undefined while asking, null when there is none
 * (the ordinary care-team view, or no way in; or no client yet). Asked again when `version` changes.
 */
export function useBreakGlassGrant(clientId: string, version = 0): BreakGlassGrant | null | undefined {
  const me = useMe();
  const allowed = can(me, 'client.break_glass');
  const [grant, setGrant] = useState<{ clientId: string; grant: BreakGlassGrant | null } | undefined>(undefined);
  useEffect(() => {
    if (!allowed || !clientId) return;
    const ctrl = new AbortController();
    api.get<{ grant: BreakGlassGrant }>(`/api/clients/${encodeURIComponent(clientId)}/break-glass`, { signal: ctrl.signal })
      .then((r) => setGrant({ clientId, grant: r.grant }))
      .catch((err: unknown) => {
        if (!isAbort(err)) setGrant({ clientId, grant: null }); // 404: no grant
      });
    return () => ctrl.abort();
  }, [clientId, allowed, version]);
  if (!allowed || !clientId) return null;
  return grant?.clientId === clientId ? grant.grant : undefined;
}

/** In place of a panel that an emergency reader does not see (psychotherapy notes, care planning). */
export function NotShownDuringBreakGlass({ title, id }: { title: string; id?: string }) {
  const headingId = useId();
  return (
    <section className="panel not-shown" aria-labelledby={headingId} id={id}>
      <h2 id={headingId}>{title}</h2>
      <p className="muted">Not shown during break-glass access.</p>
    </section>
  );
}
