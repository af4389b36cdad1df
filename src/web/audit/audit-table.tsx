import { formatDateTimeFull } from '../time.ts';
import { OUTCOME_NAMES, type AuditEvent } from './audit-event.ts';

function detailText(detail: AuditEvent['detail']): string {
  if (!detail || typeof detail !== 'object') return '';
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ');
}

function person(e: AuditEvent): string {
  if (e.actorName) return e.actorName;
  return e.actorUserId ? 'Unknown person' : 'System';
}

export function AuditTable({ events, timeZone }: { events: AuditEvent[]; timeZone: string }) {
  return (
    <div className="table-wrap" role="region" aria-labelledby="audit-caption" tabIndex={0}>
      <table className="audit">
        <caption id="audit-caption">Events, newest first (times in {timeZone.replaceAll('_', ' ')})</caption>
        <thead>
          <tr>
            <th scope="col">No.</th>
            <th scope="col">When</th>
            <th scope="col">Person</th>
            <th scope="col">Action</th>
            <th scope="col">Record</th>
            <th scope="col">Outcome</th>
            <th scope="col">IP address</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td className="when">
                <time dateTime={e.at}>{formatDateTimeFull(e.at, timeZone)}</time>
              </td>
              <td>{person(e)}</td>
              <td className="action">
                <code>{e.action}</code>
              </td>
              <td>{[e.resourceType, e.resourceId].filter(Boolean).join(' ')}</td>
              <td>
                <span className={`outcome outcome-${e.outcome}`}>{OUTCOME_NAMES[e.outcome] ?? e.outcome}</span>
              </td>
              <td>{e.ip ?? ''}</td>
              <td className="detail">{detailText(e.detail)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
