import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { can, useMe, useSession } from './session.tsx';
import { roleName } from './ui.tsx';
import { LiveAlerts } from './live/live-alerts.tsx';
import { LiveNotifications } from './live/live-notifications.tsx';
import { useStandbyRegistration } from './live/pager-standby.tsx';

function focusMain(e?: MouseEvent) {
  e?.preventDefault();
  const main = document.getElementById('main');
  const target = main?.querySelector<HTMLElement>('h1') ?? main;
  if (!target) return;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus();
}

/** After in-app navigation, move focus to the new page's heading so screen readers announce it. */
function useFocusOnNavigate() {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    // Let the page render its heading first.
    const t = window.setTimeout(() => focusMain(), 0);
    return () => window.clearTimeout(t);
  }, [pathname]);
}

function SkipLink() {
  return (
    <a className="skip-link" href="#main" onClick={focusMain}>
      Skip to main content
    </a>
  );
}

/** Shell for setup, sign-in and invite pages. */
export function PublicShell() {
  useFocusOnNavigate();
  return (
    <>
      <SkipLink />
      <header className="topbar">
        <div className="topbar-inner">
          <span className="brand">Holdspace</span>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="page">
        <Outlet />
      </main>
    </>
  );
}

/** Shell for signed-in pages: practice name, navigation, who is signed in, sign out. */
export function Shell() {
  useFocusOnNavigate();
  const me = useMe();
  useStandbyRegistration();
  const { signOut } = useSession();
  const [signingOut, setSigningOut] = useState(false);
  const enrolling = me.mustEnrollTotp;
  const todayIsHome = me.user.role === 'clinician' || me.user.role === 'supervisor';
  const deskRole = me.user.role === 'front_desk' || me.user.role === 'admin' || me.user.role === 'owner';

  return (
    <>
      <SkipLink />
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/" className="brand">
            {me.practice.name}
          </Link>
          <nav aria-label="Main">
            <ul>
              {!enrolling && can(me, 'schedule.read') && (
                <li>
                  <NavLink to="/today">Today</NavLink>
                </li>
              )}
              {/* Clinicians' and supervisors' home is Today. */}
              {!enrolling && !todayIsHome && (
                <li>
                  <NavLink to="/" end>
                    Home
                  </NavLink>
                </li>
              )}
              {!enrolling && deskRole && can(me, 'appointments.book') && (
                <li>
                  <NavLink to="/schedule">Schedule</NavLink>
                </li>
              )}
              {!enrolling && can(me, 'clients.directory') && (
                <li>
                  <NavLink to="/clients">Clients</NavLink>
                </li>
              )}
              {!enrolling && can(me, 'follow_ups.read') && (
                <li>
                  <NavLink to="/follow-ups">Follow-ups</NavLink>
                </li>
              )}
              {!enrolling && can(me, 'policy.read') && (
                <li>
                  <NavLink to="/policy">Policy</NavLink>
                </li>
              )}
              {!enrolling && can(me, 'locations.read') && (
                <li>
                  <NavLink to="/settings/locations">Locations</NavLink>
                </li>
              )}
              {!enrolling && (can(me, 'incident.open') || can(me, 'escalation.manage')) && (
                <li>
                  <NavLink to="/incidents">Incidents</NavLink>
                </li>
              )}
              {!enrolling && can(me, 'reports.review_queue') && (
                <li>
                  <NavLink to="/reviews">Reviews</NavLink>
                </li>
              )}
              {!enrolling && can(me, 'escalation.read') && (
                <li>
                  <NavLink to="/settings/emergencies">Paging</NavLink>
                </li>
              )}
              {!enrolling && can(me, 'messaging.settings.read') && (
                <li>
                  <NavLink to="/settings/messaging">Messaging</NavLink>
                </li>
              )}
              {!enrolling && (can(me, 'call_gate.own') || can(me, 'call_gate.practice')) && (
                <li>
                  <NavLink to="/settings/urgent-calls">Urgent calls</NavLink>
                </li>
              )}
              {!enrolling && can(me, 'retention.manage') && (
                <li>
                  <NavLink to="/settings/records">Records</NavLink>
                </li>
              )}
              {!enrolling && can(me, 'outbox.read') && (
                <li>
                  <NavLink to="/outbox">Outbox</NavLink>
                </li>
              )}
              {!enrolling && can(me, 'users.list') && (
                <li>
                  <NavLink to="/users">Users</NavLink>
                </li>
              )}
              {!enrolling && can(me, 'accounting_requests.list') && (
                <li>
                  <NavLink to="/accounting-requests">Accounting requests</NavLink>
                </li>
              )}
              {!enrolling && can(me, 'audit.browse') && (
                <li>
                  <NavLink to="/audit">Audit trail</NavLink>
                </li>
              )}
              <li>
                <NavLink to="/security">Security</NavLink>
              </li>
            </ul>
          </nav>
          <div className="whoami">
            <span className="whoami-text">
              <span className="whoami-name">{me.user.name}</span>
              <span className="whoami-role">{roleName(me.user.role)}</span>
            </span>
            <button
              type="button"
              className="secondary"
              disabled={signingOut}
              onClick={() => {
                setSigningOut(true);
                void signOut();
              }}
            >
              Sign out
            </button>
          </div>
        </div>
      </header>
      {!enrolling && <LiveAlerts />}
      {!enrolling && can(me, 'notifications.read') && <LiveNotifications />}
      <main id="main" tabIndex={-1} className="page">
        <Outlet />
      </main>
    </>
  );
}
