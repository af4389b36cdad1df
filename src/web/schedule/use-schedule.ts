// Loading the schedule: one day, the practice's locations, and the clinicians to book with.
import { useEffect, useState } from 'react';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { dayPath, type Location, type Named, type ScheduleDay } from './schedule.ts';

/** One day of the schedule; `day` is null until the requested day has arrived. */
export function useScheduleDay(date: string, clinicianId: string | null, version: number) {
  const [loaded, setLoaded] = useState<{ key: string; day: ScheduleDay } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const key = `${date}|${clinicianId ?? ''}`;

  useEffect(() => {
    const ctrl = new AbortController();
    setProblem(null);
    api
      .get<ScheduleDay>(dayPath(date, clinicianId), { signal: ctrl.signal })
      .then((day) => setLoaded({ key, day }))
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, [date, clinicianId, key, version]);

  return { day: loaded?.key === key ? loaded.day : null, problem };
}

export function useLocations() {
  const [locations, setLocations] = useState<Location[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<{ locations: Location[] }>('/api/locations', { signal: ctrl.signal })
      .then((r) => setLocations([...r.locations].sort((a, b) => a.name.localeCompare(b.name))))
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, []);
  return { locations, problem };
}

export function byName<T extends Named>(list: Iterable<T>): T[] {
  const seen = new Map<string, T>();
  for (const item of list) if (!seen.has(item.id)) seen.set(item.id, item);
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The practice's active clinicians and supervisors (names only), to book with or to choose whose day. */
export function useClinicianChoices(enabled = true): Named[] | null {
  const [clinicians, setClinicians] = useState<Named[] | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const ctrl = new AbortController();
    api
      .get<{ clinicians: Named[] }>('/api/clinicians', { signal: ctrl.signal })
      .then((r) => setClinicians(byName(r.clinicians)))
      .catch((err: unknown) => {
        if (!isAbort(err)) setClinicians([]);
      });
    return () => ctrl.abort();
  }, [enabled]);
  return clinicians;
}
