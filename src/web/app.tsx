import type { ReactNode } from 'react';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { AcceptInvitePage } from './auth/accept-invite-page.tsx';
import { SignInPage } from './auth/sign-in-page.tsx';
import { AuditPage } from './audit/audit-page.tsx';
import { ClientPage } from './clients/client-page.tsx';
import { ClientsPage } from './clients/clients-page.tsx';
import { NewClientPage } from './clients/new-client-page.tsx';
import { HomePage } from './home/home-page.tsx';
import { LocationsPage } from './locations/locations-page.tsx';
import { PolicyPage } from './policy/policy-page.tsx';
import { PolicyVersionPage } from './policy/policy-version-page.tsx';
import { SafetyPlanPage } from './safety-plan/safety-plan-page.tsx';
import { SafetyPlanVersionPage } from './safety-plan/safety-plan-version-page.tsx';
import { SchedulePage } from './schedule/schedule-page.tsx';
import { TodayPage } from './schedule/today-page.tsx';
import { SecurityPage } from './security/security-page.tsx';
import { SessionProvider, can, useMe, useSession, type SignInState } from './session.tsx';
import { SetupPage } from './setup/setup-page.tsx';
import { PublicShell, Shell } from './shell.tsx';
import { ProblemAlert, usePageTitle } from './ui.tsx';
import { UsersPage } from './users/users-page.tsx';
import { SessionPage } from './session/session-page.tsx';
import { IncidentPage } from './incident/incident-page.tsx';
import { IncidentsPage } from './incident/incidents-page.tsx';
import { ReportPage } from './reports/report-page.tsx';
import { ReviewsPage } from './reports/reviews-page.tsx';
import { EmergencySettingsPage } from './settings/emergency-settings-page.tsx';
import { MessagingSettingsPage } from './messaging/messaging-settings-page.tsx';
import { RecordsSettingsPage } from './exports/records-settings-page.tsx';
import { OutboxPage } from './messaging/outbox-page.tsx';
import { FollowUpsPage } from './follow-ups/follow-ups-page.tsx';
import { FollowUpPage } from './follow-ups/follow-up-page.tsx';
import { TeamFollowUpsPage } from './follow-ups/team-follow-ups-page.tsx';
import { AccountingRequestsPage } from './disclosures/accounting-requests-page.tsx';
import { UrgentCallsPage } from './call-gate/urgent-calls-page.tsx';

export function App() {
  return (
    // Location updates apply in the same render as session changes, so guards never see a half-updated state.
    <BrowserRouter useTransitions={false}>
      <SessionProvider>
        <Routes>
          <Route element={<Boot />}>
            <Route element={<PublicShell />}>
              <Route path="setup" element={<SetupPage />} />
              <Route path="sign-in" element={<SignedOutOnly><SignInPage /></SignedOutOnly>} />
              <Route path="invite/:token" element={<AcceptInvitePage />} />
            </Route>
            <Route element={<SignedIn />}>
              <Route index element={<HomePage />} />
              <Route path="today" element={<Allowed action="schedule.read"><TodayPage /></Allowed>} />
              <Route path="schedule" element={<Allowed action="appointments.book"><SchedulePage /></Allowed>} />
              <Route path="users" element={<Allowed action="users.list"><UsersPage /></Allowed>} />
              <Route path="audit" element={<Allowed action="audit.browse"><AuditPage /></Allowed>} />
              <Route path="clients" element={<Allowed action="clients.directory"><ClientsPage /></Allowed>} />
              <Route path="clients/new" element={<Allowed action="clients.create"><NewClientPage /></Allowed>} />
              <Route path="clients/:clientId" element={<Allowed action="client.read"><ClientPage /></Allowed>} />
              <Route path="clients/:clientId/safety-plan" element={<Allowed action="client.read"><SafetyPlanPage /></Allowed>} />
              <Route path="clients/:clientId/safety-plan/versions/:version" element={<Allowed action="client.read"><SafetyPlanVersionPage /></Allowed>} />
              <Route path="policy" element={<Allowed action="policy.read"><PolicyPage /></Allowed>} />
              <Route path="policy/versions/:version" element={<Allowed action="policy.read"><PolicyVersionPage /></Allowed>} />
              <Route path="settings/locations" element={<Allowed action="locations.read"><LocationsPage /></Allowed>} />
              <Route path="sessions/:sessionId" element={<Allowed action="session.run"><SessionPage /></Allowed>} />
              <Route path="incidents" element={<Allowed action="incidents.list"><IncidentsPage /></Allowed>} />
              <Route path="incidents/:incidentId" element={<Allowed action="incident.read"><IncidentPage /></Allowed>} />
              <Route path="incidents/:incidentId/report" element={<Allowed action="incident.report.read"><ReportPage /></Allowed>} />
              <Route path="reviews" element={<Allowed action="reports.review_queue"><ReviewsPage /></Allowed>} />
              <Route path="settings/emergencies" element={<Allowed action="escalation.read"><EmergencySettingsPage /></Allowed>} />
              <Route path="settings/messaging" element={<Allowed action="messaging.settings.read"><MessagingSettingsPage /></Allowed>} />
              <Route path="settings/urgent-calls" element={<UrgentCallsPage />} />
              <Route path="settings/records" element={<Allowed action="retention.manage"><RecordsSettingsPage /></Allowed>} />
              <Route path="outbox" element={<Allowed action="outbox.read"><OutboxPage /></Allowed>} />
              <Route path="follow-ups" element={<Allowed action="follow_ups.read"><FollowUpsPage /></Allowed>} />
              <Route path="follow-ups/team" element={<Allowed action="follow_ups.team"><TeamFollowUpsPage /></Allowed>} />
              <Route path="follow-ups/:followUpId" element={<Allowed action="follow_ups.read"><FollowUpPage /></Allowed>} />
              <Route path="accounting-requests" element={<Allowed action="accounting_requests.list"><AccountingRequestsPage /></Allowed>} />
              <Route path="security" element={<SecurityPage />} />
              <Route path="*" element={<NotFound />} />
            </Route>
          </Route>
        </Routes>
      </SessionProvider>
    </BrowserRouter>
  );
}

/** Waits for /api/setup and /api/me, and sends everyone to /setup until the practice exists. */
function Boot() {
  const { boot, setupRequired, retry } = useSession();
  const { pathname } = useLocation();
  if (boot.status === 'loading') {
    return (
      <main id="main" className="boot">
        <p role="status">Opening Holdspace…</p>
      </main>
    );
  }
  if (boot.status === 'error') {
    return (
      <main id="main" className="boot narrow">
        <h1>Holdspace can't open right now</h1>
        <ProblemAlert problem={boot.problem} />
        <button type="button" className="primary" onClick={retry}>
          Try again
        </button>
      </main>
    );
  }
  if (setupRequired && pathname !== '/setup') return <Navigate to="/setup" replace />;
  if (!setupRequired && pathname === '/setup') return <Navigate to="/" replace />;
  return <Outlet />;
}

function SignedOutOnly({ children }: { children: ReactNode }) {
  const { me } = useSession();
  return me ? <Navigate to={me.mustEnrollTotp ? '/security' : '/'} replace /> : children;
}

/** Signed-in area: sign in first; set up a second factor first if the practice requires it. */
function SignedIn() {
  const { me } = useSession();
  const location = useLocation();
  if (!me) {
    const from = location.pathname + location.search;
    const state: SignInState = from === '/' ? {} : { from };
    return <Navigate to="/sign-in" replace state={state} />;
  }
  if (me.mustEnrollTotp && location.pathname !== '/security') return <Navigate to="/security" replace />;
  return <Shell />;
}

function Allowed({ action, children }: { action: string; children: ReactNode }) {
  const me = useMe();
  return can(me, action) ? children : <NotAllowed />;
}

function NotAllowed() {
  usePageTitle('Not available');
  return (
    <>
      <h1>Not available</h1>
      <p>Your role doesn't include this page. If you need it, ask your practice owner.</p>
    </>
  );
}

function NotFound() {
  usePageTitle('Page not found');
  return (
    <>
      <h1>Page not found</h1>
      <p>There's nothing at this address. Use the menu above to find your way.</p>
    </>
  );
}
