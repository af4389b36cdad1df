import { useState } from 'react';
import { Link } from 'react-router';
import { can, useMe } from '../session.tsx';
import { Notice, usePageTitle } from '../ui.tsx';
import { RequireTotpSwitch } from './require-totp-switch.tsx';
import { TotpSetup } from './totp-setup.tsx';

export function SecurityPage() {
  usePageTitle('Security');
  const me = useMe();
  const [justEnabled, setJustEnabled] = useState(false);
  const isOwner = me.user.role === 'owner' || can(me, 'practice.security.update');

  return (
    <>
      <h1>Security</h1>
      {me.mustEnrollTotp && (
        <Notice>
          <p>
            {me.practice.name} asks everyone to use a second factor when signing in. Set up your authenticator app
            below to continue.
          </p>
        </Notice>
      )}
      <section aria-labelledby="totp-heading" className="panel">
        <h2 id="totp-heading">Your second factor</h2>
        {me.user.totpEnabled ? (
          <div role="status" className="notice">
            <p>
              {justEnabled
                ? "Your authenticator app is set up. You'll be asked for a code each time you sign in."
                : 'Your account is protected with an authenticator app.'}
            </p>
            {justEnabled && !me.mustEnrollTotp && (
              <p>
                <Link to="/">Continue to Home</Link>
              </p>
            )}
          </div>
        ) : (
          <TotpSetup onDone={() => setJustEnabled(true)} />
        )}
      </section>
      {isOwner && (
        <section aria-labelledby="practice-security-heading" className="panel">
          <h2 id="practice-security-heading">Practice</h2>
          <RequireTotpSwitch />
        </section>
      )}
    </>
  );
}
