import type { ReactNode } from 'react';
import { Link } from 'react-router';
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
    case 'clinician':
      return (
        <>
          <Card id="card-today" title="Today">
            <p>Your sessions and follow-ups appear here once the schedule is set up.</p>
          </Card>
          <LinkCard id="card-clients" title="Clients" to="/clients" text="Your clients' safety nets: contacts and consents, safety plans, risk." />
        </>
      );
    case 'supervisor':
      return (
        <>
          <Card id="card-team" title="Your team">
            <p>The clinicians you supervise, and anything that needs your attention, appear here.</p>
          </Card>
          <LinkCard id="card-clients" title="Clients" to="/clients" text="Your team's clients and their safety nets." />
        </>
      );
    case 'front_desk':
      return (
        <Card id="card-schedule" title="Schedule">
          <p>Today's sessions appear here once the schedule is set up.</p>
        </Card>
      );
    default:
      return null;
  }
}

export function HomePage() {
  usePageTitle('Home');
  const me = useMe();
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
