// A supervisor's view: the open and past-due follow-ups of the clinicians they supervise, and their own.
import { useCallback, useEffect, useState } from 'react';
import { api, problemOf, type Problem } from '../api.ts';
import { subscribeLive } from '../live/live-events.ts';
import { useMe } from '../session.tsx';
import { Loading, ProblemAlert, usePageTitle } from '../ui.tsx';
import { FollowUpList } from './follow-up-list.tsx';
import type { TeamFollowUps } from './follow-ups.ts';

export function TeamFollowUpsPage() {
  usePageTitle('Team follow-ups');
  const me = useMe();
  const [filter, setFilter] = useState<'active' | 'overdue'>('active');
  const [team, setTeam] = useState<TeamFollowUps | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const load = useCallback(async () => {
    try {
      setTeam(await api.get<TeamFollowUps>(`/api/follow-ups/team?filter=${filter}`));
      setProblem(null);
    } catch (err) {
      setProblem(problemOf(err));
    }
  }, [filter]);
  useEffect(() => {
    void load();
    const stops = [subscribeLive('notification', () => void load()), subscribeLive('resync', () => void load())];
    return () => { for (const stop of stops) stop(); };
  }, [load]);

  return (
    <>
      <div className="page-head"><h1>Team follow-ups</h1></div>
      <p className="lede">Open follow-ups of the clinicians you supervise, and your own, by clinician.</p>
      <fieldset className="row">
        <legend>Show</legend>
        <label><input type="radio" name="team-filter" checked={filter === 'active'} onChange={() => setFilter('active')} /> All open</label>
        <label><input type="radio" name="team-filter" checked={filter === 'overdue'} onChange={() => setFilter('overdue')} /> Past due or unable to reach</label>
      </fieldset>
      <ProblemAlert problem={problem} />
      {team === null ? (!problem && <Loading what="Loading the team’s follow-ups…" />) : team.clinicians.map((c) => {
        const theirs = team.followUps.filter((f) => f.assignedTo.id === c.id);
        const headingId = `team-${c.id}`;
        return (
          <section key={c.id} className="panel" aria-labelledby={headingId}>
            <h2 id={headingId}>{c.id === me.user.id ? `${c.name} (you)` : c.name}</h2>
            <p className="hint">{c.open} open · {c.overdue} past due · {c.unableToReach} unable to reach</p>
            {theirs.length === 0 ? <p className="muted">Nothing here.</p> : <FollowUpList followUps={theirs} timeZone={me.practice.timeZone} label={`Follow-ups of ${c.name}`} />}
          </section>
        );
      })}
    </>
  );
}
