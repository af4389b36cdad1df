import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { can, useMe } from '../session.tsx';
import { ClientAftercarePanels } from '../aftercare/aftercare-panels.tsx';
import { Loading, Notice, ProblemAlert, usePageTitle } from '../ui.tsx';
import { ArchivePanel } from './archive-panel.tsx';
import { ReadinessChips, RiskBadge } from './badges.tsx';
import { ChannelsPanel } from './channels-panel.tsx';
import { clientPath, type SafetyNet } from './client.ts';
import { CareTeamPanel, DetailsPanel } from './details-panel.tsx';
import { EmergencyContacts } from './emergency-contacts.tsx';
import { todayIn } from './format.ts';
import { PolicyPanel, SafetyPlanPanel } from './preparation-panels.tsx';
import { ReadinessSummary } from './readiness-summary.tsx';
import { RiskPanel } from './risk-panel.tsx';
import { ClientMessagesPanel } from '../messaging/client-messages-panel.tsx';
import { AccountingPanel } from '../disclosures/accounting-panel.tsx';
import { ClientRecordPanel } from '../exports/client-record-panel.tsx';
import { BreakGlassBanner, BreakGlassForm } from '../break-glass/break-glass.tsx';
import { NotShownDuringBreakGlass, ReadOnlyContext, useBreakGlassGrant } from '../break-glass/read-only.tsx';
import { ClientIncidentsPanel } from './incidents-panel.tsx';

const SECTIONS = [
  ['#contacts', 'Emergency contacts'],
  ['#safety-plan', 'Safety plan'],
  ['#policy', 'Policy'],
  ['#risk', 'Risk'],
  ['#channels', 'Follow-up channels'],
  ['#messages', 'Messages'],
  ['#incidents', 'Incidents'],
  ['#details', 'Details'],
  ['#care-team', 'Care team'],
  ['#aftercare', 'After sessions'],
  ['#accounting', 'Disclosures'],
  ['#record', 'Record'],
] as const;

function ClientNotFound({ clientId, onGranted }: { clientId: string; onGranted: (() => void) | null }) {
  return (
    <>
      <h1>Client not found</h1>
      <p>There's no client at this address, or you're not on their care team.</p>
      <p>
        <Link to="/clients">Back to clients</Link>
      </p>
      {onGranted && <BreakGlassForm clientId={clientId} onGranted={onGranted} />}
    </>
  );
}

function ClientHeader({ net }: { net: SafetyNet }) {
  const c = net.client;
  const heading = useRef<HTMLHeadingElement>(null);
  // The loading heading had focus after navigation; hand it on to the client's name.
  useEffect(() => {
    if (document.activeElement === document.body) heading.current?.focus();
  }, []);
  return (
    <header className="client-head">
      <p className="breadcrumb">
        <Link to="/clients">
          <span aria-hidden="true">‹&nbsp;</span>All clients
        </Link>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {c.name}
      </h1>
      <p className="client-sub">
        {c.pronouns && <span>{c.pronouns}</span>}
        {c.preferredName && c.preferredName !== c.legalName && <span>Legal name: {c.legalName}</span>}
      </p>
      <div className="client-head-facts">
        <RiskBadge level={c.riskLevel} />
        <ReadinessChips readiness={net.readiness} />
      </div>
    </header>
  );
}

/** The client's safety net on one page (DESIGN.md, Screens → Client). */
export function ClientPage() {
  // The tab title stays generic: it shows in screen shares and browser history.
  usePageTitle('Client');
  const me = useMe();
  const { clientId = '' } = useParams();
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const [net, setNet] = useState<SafetyNet | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const timeZone = me.practice.timeZone;
  const today = todayIn(timeZone);
  // Break-glass (issue 6): under a grant the page is read-only; asked beside the record, shown once both have answered.
  const grant = useBreakGlassGrant(clientId, version);

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<SafetyNet>(clientPath(clientId), { signal: ctrl.signal })
      .then((r) => {
        setNet(r);
        setProblem(null);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, [clientId, version]);

  // A different client: start afresh rather than showing the last one's record.
  useEffect(() => setNet(null), [clientId]);

  if (!net || grant === undefined) {
    // 400 too: an address that isn't a client id at all.
    // 404: the record may exist outside the caller's care team, so a clinician may break the glass.
    if (!net && (problem?.status === 404 || problem?.status === 400)) return <ClientNotFound clientId={clientId} onGranted={problem.status === 404 ? reload : null} />;
    return (
      <>
        <h1>Client</h1>
        <ProblemAlert problem={problem} />
        {!problem && <Loading what="Loading the client's record…" />}
      </>
    );
  }

  const readOnly = grant !== null;
  // Under break-glass nothing is changed: every control that writes is gone, not merely refused.
  const may = (action: Parameters<typeof can>[1]) => !readOnly && can(me, action);
  const canUpdate = may('client.update');
  return (
    <ReadOnlyContext value={readOnly}>
      <div className="client-page">
        <ClientHeader net={net} />
        {grant && <BreakGlassBanner grant={grant} />}
        {notice && <Notice>{notice}</Notice>}
        {net.client.archived && (
          <p className="archived-note">
            {readOnly ? 'This client is archived. Their record is kept.' : 'This client is archived. Their record is kept; restore them at the bottom of the page.'}
          </p>
        )}
        <ProblemAlert problem={problem} />
        <nav aria-label="On this page" className="on-this-page">
          <ul>
            {SECTIONS.map(([href, name]) => (
              <li key={href}>
                <a href={href}>{name}</a>
              </li>
            ))}
          </ul>
        </nav>
        <ReadinessSummary readiness={net.readiness} />
        <EmergencyContacts key={`contacts-${clientId}`} clientId={clientId} contacts={net.emergencyContacts} today={today} onChanged={reload} />
        <SafetyPlanPanel clientId={clientId} readiness={net.readiness} />
        <PolicyPanel clientId={clientId} readiness={net.readiness} today={today} canRecord={canUpdate} version={version} onSaved={reload} />
        <RiskPanel client={net.client} history={net.riskHistory} timeZone={timeZone} canRecord={may('client.risk.record')} onSaved={reload} />
        <ChannelsPanel key={`channels-${clientId}`} clientId={clientId} channels={net.channels} today={today} onSaved={reload} />
        {can(me, 'client.messages.read') && (
          <ClientMessagesPanel key={`messages-${clientId}`} clientId={clientId} channels={net.channels} timeZone={timeZone} canSend={may('client.message.send')} />
        )}
        {can(me, 'client.read') && <ClientIncidentsPanel key={`incidents-${clientId}`} clientId={clientId} timeZone={timeZone} />}
        <DetailsPanel client={net.client} today={today} canEdit={canUpdate} onSaved={reload} />
        <CareTeamPanel careTeam={net.careTeam} />
        <ClientAftercarePanels clientId={clientId} timeZone={timeZone} myId={me.user.id} canManage={can(me, 'client.agenda.manage')} />
        {(can(me, 'client.disclosures.read') || may('client.accounting_requests.manage')) && (
          <AccountingPanel key={`accounting-${clientId}`} clientId={clientId} clientName={net.client.name} today={today} timeZone={timeZone}
            canRead={can(me, 'client.disclosures.read')} canManageRequests={may('client.accounting_requests.manage')} />
        )}
        {readOnly ? <NotShownDuringBreakGlass title="Record export" id="record" />
          : can(me, 'client.export') && <ClientRecordPanel clientId={clientId} clientName={net.client.name} />}
        {may('client.archive') && <ArchivePanel client={net.client} onSaved={reload} />}
      </div>
    </ReadOnlyContext>
  );
}
