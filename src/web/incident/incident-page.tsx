/**
 * The incident (DESIGN.md "During" and "Screens: Incident"; issue 4 item 8): the protocol
 * checklist with the next step first, the live timeline, who was paged and who
 * acknowledged, disclosures and follow-ups. It renders from the copy kept in this browser
 * before the network answers, and every action is applied at once and queued.
 */
import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import type { RunAction } from '../../domain/protocols/run.ts';
import { cachedProtocol } from '../offline/protocols.ts';
import { useMe } from '../session.tsx';
import { useDiscreetMode } from '../session/discreet.ts';
import { CrisisResourcesPanel } from '../session/crisis-resources.tsx';
import { formatDateTime } from '../time.ts';
import { Loading, ProblemAlert, usePageTitle } from '../ui.tsx';
import { recordRunEvent } from './actions.ts';
import { CloseIncident } from './close-incident.tsx';
import { ConnectionBanner, RefusedWrites } from './connection-banner.tsx';
import type { DisclosureInput, IncidentDetail, Named, RunView } from './incident-types.ts';
import type { IncidentView } from './incident-view.ts';
import { NotesPanel } from './notes-panel.tsx';
import { IncidentAfterSession } from '../aftercare/aftercare-panels.tsx';
import { PagesPanel } from './pages-panel.tsx';
import { DisclosuresPanel, FollowUpsPanel } from './record-panels.tsx';
import { RunPanel } from './run-panel.tsx';
import { ReportLink } from '../reports/report-link.tsx';
import { Timeline } from './timeline.tsx';
import { useIncident } from './use-incident.ts';
import { namesOf, personName, protocolName } from './words.ts';

export function IncidentPage() {
  const { incidentId = '' } = useParams();
  const me = useMe();
  const [discreet] = useDiscreetMode();
  const meNamed = useMemo<Named>(() => ({ id: me.user.id, name: me.user.name }), [me.user.id, me.user.name]);
  const incident = useIncident(incidentId, meNamed);
  const protocol = incident.view ? cachedProtocol(incident.view.detail.protocolKey) : undefined;
  const title = protocol ? protocolName(protocol, discreet) : discreet ? 'Record' : 'Incident';
  usePageTitle(title);

  if (!incident.view) {
    return (
      <>
        <Breadcrumb />
        <h1>{discreet ? 'Record' : 'Incident'}</h1>
        {incident.loading ? <Loading /> : <ProblemAlert problem={incident.problem ?? { status: 404, detail: 'This incident could not be found.' }} />}
      </>
    );
  }
  return (
    <IncidentScreen
      view={incident.view}
      title={title}
      discreet={discreet}
      me={meNamed}
      timeZone={me.practice.timeZone}
      fresh={incident.fresh}
      problem={incident.problem}
      accept={incident.accept}
      refetch={incident.refetch}
    />
  );
}

function Breadcrumb() {
  return (
    <p className="breadcrumb">
      <Link to="/incidents">Incidents</Link>
    </p>
  );
}

interface ScreenProps {
  view: IncidentView;
  title: string;
  discreet: boolean;
  me: Named;
  timeZone: string;
  fresh: boolean;
  problem: ReturnType<typeof useIncident>['problem'];
  accept: (detail: IncidentDetail) => void;
  refetch: () => void;
}

function IncidentScreen({ view, title, discreet, me, timeZone, fresh, problem, accept, refetch }: ScreenProps) {
  const { detail } = view;
  const names = namesOf(detail, me);
  const runs = orderRuns(detail.runs);
  const open = detail.status === 'open';
  const record = (run: RunView, action: RunAction, disclosure?: DisclosureInput) =>
    recordRunEvent(detail.id, run, action, me.id, disclosure);

  return (
    <div className="incident">
      <Breadcrumb />
      <div className="page-head incident-head">
        <h1>{title}</h1>
        <span className={open ? 'chip' : 'chip chip-ready'}>{open ? 'Open' : 'Closed'}</span>
      </div>
      <p className="incident-sub muted">
        {detail.client.name && <span className="strong">{detail.client.name}</span>}
        {detail.client.name && ' · '}
        Opened {formatDateTime(detail.openedAt, timeZone)} by {personName(names, detail.openedBy.id, detail.openedBy.name || 'you')}
        {detail.closedAt && <> · Closed {formatDateTime(detail.closedAt, timeZone)}</>}
      </p>
      <ConnectionBanner />
      {detail.viewer.breakGlass && (
        <div className="alert break-glass-banner" role="status">
          <p>
            <strong>Break-glass access</strong>, read-only. Every page you open is audited.{' '}
            <Link to={`/clients/${encodeURIComponent(detail.client.id)}`}>Back to the client&apos;s record</Link>
          </p>
        </div>
      )}
      {problem && problem.status !== 0 && (
        <ProblemAlert problem={{ ...problem, detail: `${problem.detail} What you see is the copy kept on this device.` }} />
      )}
      {!fresh && !problem && <p className="muted incident-sr" role="status">Showing the copy kept on this device while Holdspace answers.</p>}
      <RefusedWrites incidentId={detail.id} detail={detail} discreet={discreet} />

      <div className="incident-layout">
        <div className="incident-main">
          {runs.map((run) => (
            <RunPanel key={run.id} run={run} only={runs.length === 1} detail={detail} discreet={discreet} timeZone={timeZone} names={names} record={record} />
          ))}
          {open && detail.viewer.canAct && (
            <CloseIncident detail={detail} waiting={view.queued} onClosed={accept} />
          )}
          {!discreet && detail.viewer.canAct && <IncidentAfterSession clientId={detail.client.id} incidentId={detail.id} />}
          {!discreet && detail.viewer.canAct && <ReportLink incidentId={detail.id} />}
        </div>
        <aside className="incident-side" aria-label="Help and record">
          <CrisisResourcesPanel crisis={detail.crisisResources} discreet={discreet} />
          <PagesPanel incidentId={detail.id} pages={detail.pages} canAsk={open && detail.viewer.canAct} discreet={discreet} timeZone={timeZone} />
          {!discreet && <FollowUpsPanel followUps={view.followUps} timeZone={timeZone} canAct={detail.viewer.canAct} onChanged={refetch} />}
          {!discreet && <DisclosuresPanel disclosures={view.disclosures} timeZone={timeZone} />}
          {open && detail.viewer.canNote !== false && <NotesPanel incidentId={detail.id} />}
          <Timeline entries={view.timeline} discreet={discreet} timeZone={timeZone} names={names} />
        </aside>
      </div>
    </div>
  );
}

/** Open runs first, the newest (a switch just made) on top; completed ones after. */
function orderRuns(runs: RunView[]): RunView[] {
  return [...runs].sort((a, b) => {
    if (a.status !== b.status) return a.status === 'open' ? -1 : 1;
    return Date.parse(b.startedAt) - Date.parse(a.startedAt);
  });
}
