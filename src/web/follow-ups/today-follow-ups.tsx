// Follow-ups on Today: past due, due by the end of today or within the next hours (`dueOnToday`), most urgent first.
import { useId } from 'react';
import { Link } from 'react-router';
import { useMe } from '../session.tsx';
import { FollowUpList } from './follow-up-list.tsx';
import { dueOnToday, TODAY_HORIZON_HOURS } from './follow-ups.ts';
import { useMyFollowUps } from './follow-ups-page.tsx';

export function TodayFollowUps() {
  const me = useMe();
  const headingId = useId();
  const { followUps } = useMyFollowUps('open');
  if (!followUps) return null;
  const now = new Date();
  const due = followUps.filter((f) => dueOnToday(f, now, me.practice.timeZone));
  return (
    <section className="panel today-follow-ups" aria-labelledby={headingId}>
      <h2 id={headingId}>Follow-ups</h2>
      {due.length === 0
        ? <p className="muted">No follow-ups due today.{followUps.length > 0 && <> <Link to="/follow-ups">{followUps.length} later</Link>.</>}</p>
        : <>
          <FollowUpList followUps={due} timeZone={me.practice.timeZone} label={`Follow-ups due today or within ${TODAY_HORIZON_HOURS} hours`} />
          {followUps.length > due.length && <p className="hint"><Link to="/follow-ups">All follow-ups ({followUps.length})</Link></p>}
        </>}
    </section>
  );
}
