// Follow-ups on Today: the ones due by the end of today or already past due, most urgent first.
import { useId } from 'react';
import { Link } from 'react-router';
import { localDate } from '../../domain/zoned-time.ts';
import { useMe } from '../session.tsx';
import { FollowUpList } from './follow-up-list.tsx';
import { useMyFollowUps } from './follow-ups-page.tsx';

export function TodayFollowUps() {
  const me = useMe();
  const headingId = useId();
  const { followUps } = useMyFollowUps('open');
  if (!followUps) return null;
  const today = localDate(new Date(), me.practice.timeZone);
  const due = followUps.filter((f) => f.overdue || f.status === 'unable_to_reach' || localDate(new Date(f.dueAt), me.practice.timeZone) <= today);
  return (
    <section className="panel today-follow-ups" aria-labelledby={headingId}>
      <h2 id={headingId}>Follow-ups</h2>
      {due.length === 0
        ? <p className="muted">No follow-ups due today.{followUps.length > 0 && <> <Link to="/follow-ups">{followUps.length} later</Link>.</>}</p>
        : <>
          <FollowUpList followUps={due} timeZone={me.practice.timeZone} label="Follow-ups due today" />
          {followUps.length > due.length && <p className="hint"><Link to="/follow-ups">All follow-ups ({followUps.length})</Link></p>}
        </>}
    </section>
  );
}
