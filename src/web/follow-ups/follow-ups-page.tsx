// The follow-up inbox: what I owe, most urgent first (past due, then soonest due).
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, problemOf, type Problem } from '../api.ts';
import { subscribeLive } from '../live/live-events.ts';
import { can, useMe } from '../session.tsx';
import { Loading, ProblemAlert, usePageTitle } from '../ui.tsx';
import { FollowUpList } from './follow-up-list.tsx';
import type { FollowUpItem } from './follow-ups.ts';

/** My active follow-ups, refetched when a notification arrives (a reminder, an escalation). */
export function useMyFollowUps(status: 'open' | 'done' = 'open') {
  const [followUps, setFollowUps] = useState<FollowUpItem[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const load = useCallback(async () => {
    try {
      const r = await api.get<{ followUps: FollowUpItem[] }>(`/api/follow-ups?status=${status}`);
      setFollowUps(r.followUps);
      setProblem(null);
    } catch (err) {
      setProblem(problemOf(err));
    }
  }, [status]);
  useEffect(() => {
    void load();
    const stops = [subscribeLive('notification', () => void load()), subscribeLive('resync', () => void load())];
    return () => { for (const stop of stops) stop(); };
  }, [load]);
  return { followUps, problem, reload: load };
}

export function FollowUpsPage() {
  usePageTitle('Follow-ups');
  const me = useMe();
  const [showDone, setShowDone] = useState(false);
  const { followUps, problem } = useMyFollowUps(showDone ? 'done' : 'open');
  const pastDue = followUps?.filter((f) => f.overdue).length ?? 0;
  return (
    <>
      <div className="page-head">
        <h1>Follow-ups</h1>
        {can(me, 'follow_ups.team') && <Link to="/follow-ups/team" className="button-link">Team follow-ups</Link>}
      </div>
      <p className="lede">
        {showDone ? 'Follow-ups you have done.' : 'Most urgent first. A follow-up stays here until it is marked done, also after the client could not be reached.'}
      </p>
      <div className="row">
        <button type="button" className="secondary" aria-pressed={showDone} onClick={() => setShowDone((d) => !d)}>
          {showDone ? 'Show what is still to do' : 'Show done'}
        </button>
      </div>
      <ProblemAlert problem={problem} />
      {followUps === null ? (
        !problem && <Loading what="Loading follow-ups…" />
      ) : followUps.length === 0 ? (
        <p className="muted">{showDone ? 'Nothing done yet.' : 'Nothing to follow up on right now.'}</p>
      ) : (
        <>
          {!showDone && pastDue > 0 && <p className="muted" aria-live="polite">{pastDue === 1 ? 'One is past its due time.' : `${pastDue} are past their due time.`}</p>}
          <FollowUpList followUps={followUps} timeZone={me.practice.timeZone} label={showDone ? 'Done follow-ups' : 'Follow-ups to do'} />
        </>
      )}
    </>
  );
}
