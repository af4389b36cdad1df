import { useCallback, useEffect, useState } from 'react';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { can, useMe } from '../session.tsx';
import { Loading, ProblemAlert, roleName, usePageTitle } from '../ui.tsx';
import { InviteForm } from './invite-form.tsx';
import { SupervisionTeams } from './supervision-teams.tsx';
import { byName, type User, type UserList } from './user.ts';

function UsersTable({ users }: { users: User[] }) {
  const names = new Map(users.map((u) => [u.id, u.name]));
  return (
    <div className="table-wrap" role="region" aria-labelledby="people-heading" tabIndex={0}>
      <table>
        <caption id="people-heading">People in your practice</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Supervises</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <th scope="row">{u.name}</th>
              <td>{u.email}</td>
              <td>{roleName(u.role)}</td>
              <td>{u.active ? 'Active' : 'Inactive'}</td>
              <td>{u.role === 'supervisor' ? u.superviseeIds.map((id) => names.get(id) ?? 'Unknown').join(', ') || 'No one yet' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function UsersPage() {
  usePageTitle('Users');
  const me = useMe();
  const [users, setUsers] = useState<User[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<UserList>('/api/users', { signal: ctrl.signal })
      .then((r) => {
        setUsers([...r.users].sort(byName));
        setProblem(null);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, [version]);

  const canInvite = can(me, 'users.invite');
  const canEditTeams = can(me, 'users.supervisees.update') || canInvite;
  const clinicians = (users ?? []).filter((u) => u.role === 'clinician');

  return (
    <>
      <h1>Users</h1>
      <ProblemAlert problem={problem} />
      {users === null ? !problem && <Loading what="Loading people…" /> : <UsersTable users={users} />}
      {canInvite && <InviteForm clinicians={clinicians} onInvited={reload} />}
      {canEditTeams && users && <SupervisionTeams users={users} onSaved={reload} />}
    </>
  );
}
