import type { ReactNode } from 'react';
import { Link, Navigate } from 'react-router';
import type { Me } from '../api.ts';
import { can, useMe } from '../session.tsx';
import { greeting } from '../time.ts';
import { usePageTitle } from '../ui.tsx';

function Card({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function LinkCard({ id, title, to, text }: { id: string; title: string; to: string; text: string }) {
  return (
    <Card id={id} title={title}>
      <p>{text}</p>
      <Link to={to} className="button-link">
        Open {title.toLowerCase()}
      </Link>
    </Card>
  );
}

function AdminCards({ me }: { me: Me }) {
  return (
    <>
      {can(me, 'appointments.book') && (
        <LinkCard id="card-schedule" title="Schedule" to="/schedule" text="Everyone's sessions by clinician; book, move and cancel appointments." />
      )}
      {can(me, 'users.list') && (
        <LinkCard id="card-users" title="Users" to="/users" text="Invite your team and choose who supervises whom." />
      )}
      {can(me, 'audit.browse') && (
        <LinkCard id="card-audit" title="Audit trail" to="/audit" text="See who did what, and when, across the practice." />
      )}
      <LinkCard id="card-security" title="Security" to="/security" text="Sign-in protection for you and your practice." />
    </>
  );
}

function RoleCards({ me }: { me: Me }) {
  switch (me.user.role) {
    case 'owner':
    case 'admin':
      return <AdminCards me={me} />;
    case 'front_desk':
      return (
        <>
          <LinkCard id="card-schedule" title="Schedule" to="/schedule" text="Everyone's sessions by clinician; book, move and cancel appointments." />
          <LinkCard id="card-clients" title="Clients" to="/clients" text="The practice's client directory: names for booking." />
        </>
      );
    default:
      return null;
  }
}

export function HomePage() {
  usePageTitle('Home');
  const me = useMe();
  // A clinician's home is the day's sessions (DESIGN.md, Screens → Today).
  if (me.user.role === 'clinician' || me.user.role === 'supervisor') return <Navigate to="/today" replace />;
  const firstName = me.user.name.trim().split(/\s+/)[0] ?? me.user.name;
  return (
    <>
      <h1>
        {greeting(me.practice.timeZone)}, {firstName}
      </h1>
      <div className="cards">
        <RoleCards me={me} />
      </div>
    </>
  );
}
