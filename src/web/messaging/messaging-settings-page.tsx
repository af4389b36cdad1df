// Settings → Messaging: how email and texts reach clients, and the practice's quiet hours.
// Passwords and tokens are never shown; leaving their field empty keeps the saved one.
import { useEffect, useState, type FormEvent } from 'react';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { orNull, SavedStatus, useSubmit } from '../clients/client-form.tsx';
import { useMe } from '../session.tsx';
import { Field, Loading, ProblemAlert, SelectField, usePageTitle } from '../ui.tsx';
import type { MessagingSettingsView } from './messages.ts';

const PATH = '/api/practice/messaging';
const LABELS = {
  smtpHost: 'SMTP server', smtpPort: 'Port', smtpUser: 'User name', smtpPassword: 'Password', emailFrom: 'Email comes from',
  twilioAccountSid: 'Account SID', twilioAuthToken: 'Auth token', twilioFrom: 'Texts come from', twilioApiBaseUrl: 'API address',
  'quietHours.start': 'Quiet from', 'quietHours.end': 'Quiet until',
};

export function MessagingSettingsPage() {
  usePageTitle('Messaging');
  const [settings, setSettings] = useState<MessagingSettingsView | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<MessagingSettingsView>(PATH, { signal: ctrl.signal })
      .then(setSettings)
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, []);

  return (
    <div className="messaging-settings-page">
      <h1>Messaging</h1>
      <p className="lede">
        How check-ins, reminders and caring contacts reach clients. Messages never say why the practice is in touch, and go only on channels the client consented to.
      </p>
      <ProblemAlert problem={problem} />
      {settings === null ? !problem && <Loading what="Loading the messaging settings…" /> : <SettingsForm settings={settings} onSaved={setSettings} />}
    </div>
  );
}

function SettingsForm({ settings, onSaved }: { settings: MessagingSettingsView; onSaved: (s: MessagingSettingsView) => void }) {
  const [emailEnabled, setEmailEnabled] = useState(settings.emailEnabled);
  const [smtpHost, setSmtpHost] = useState(settings.smtpHost ?? '');
  const [smtpPort, setSmtpPort] = useState(settings.smtpPort ? String(settings.smtpPort) : '');
  const [smtpSecure, setSmtpSecure] = useState(settings.smtpSecure);
  const [smtpUser, setSmtpUser] = useState(settings.smtpUser ?? '');
  const [smtpPassword, setSmtpPassword] = useState('');
  const [emailFrom, setEmailFrom] = useState(settings.emailFrom ?? '');
  const [textProvider, setTextProvider] = useState(settings.textProvider);
  const [twilioAccountSid, setTwilioAccountSid] = useState(settings.twilioAccountSid ?? '');
  const [twilioAuthToken, setTwilioAuthToken] = useState('');
  const [twilioFrom, setTwilioFrom] = useState(settings.twilioFrom ?? '');
  const [twilioApiBaseUrl, setTwilioApiBaseUrl] = useState(settings.twilioApiBaseUrl ?? '');
  const [quietStart, setQuietStart] = useState(settings.quietHours.start);
  const [quietEnd, setQuietEnd] = useState(settings.quietHours.end);
  const { busy, problem, status, run, invalid } = useSubmit(LABELS);
  const practiceId = useMe().practice.id;

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const body = {
      emailEnabled, smtpHost: orNull(smtpHost), smtpPort: smtpPort.trim() ? Number(smtpPort) : null, smtpSecure, smtpUser: orNull(smtpUser),
      ...(smtpPassword ? { smtpPassword } : {}),
      emailFrom: orNull(emailFrom), textProvider, twilioAccountSid: orNull(twilioAccountSid),
      ...(twilioAuthToken ? { twilioAuthToken } : {}),
      twilioFrom: orNull(twilioFrom), twilioApiBaseUrl: orNull(twilioApiBaseUrl), quietHours: { start: quietStart, end: quietEnd },
    };
    await run(async () => {
      const saved = await api.put<MessagingSettingsView>(PATH, body);
      setSmtpPassword('');
      setTwilioAuthToken('');
      onSaved(saved);
    }, 'Messaging settings saved.');
  }

  return (
    <form onSubmit={submit} noValidate className="stack" aria-busy={busy}>
      <fieldset className="stack">
        <legend>Email</legend>
        <label className="check">
          <input type="checkbox" checked={emailEnabled} onChange={(e) => setEmailEnabled(e.target.checked)} />
          <span>Send email through the practice's mail server (SMTP)</span>
        </label>
        {!emailEnabled && (
          <p className="hint">
            {textProvider === 'development' ? 'Until then, emails go to the Outbox page only (development).' : 'Email to clients is off.'}
          </p>
        )}
        <Field label="SMTP server" value={smtpHost} onChange={(e) => setSmtpHost(e.target.value)} aria-invalid={invalid('smtpHost')} autoComplete="off" />
        <Field label="Port" className="field-short" type="number" inputMode="numeric" min={1} max={65535} value={smtpPort} onChange={(e) => setSmtpPort(e.target.value)} aria-invalid={invalid('smtpPort')} hint="Usually 587, or 465 with TLS." />
        <label className="check">
          <input type="checkbox" checked={smtpSecure} onChange={(e) => setSmtpSecure(e.target.checked)} />
          <span>Connect with TLS from the start (port 465)</span>
        </label>
        <Field label="User name" value={smtpUser} onChange={(e) => setSmtpUser(e.target.value)} autoComplete="off" />
        <Field
          label="Password"
          type="password"
          value={smtpPassword}
          onChange={(e) => setSmtpPassword(e.target.value)}
          autoComplete="new-password"
          hint={settings.hasSmtpPassword ? 'A password is saved. Leave this empty to keep it.' : 'No password saved.'}
          aria-invalid={invalid('smtpPassword')}
        />
        <Field label="Email comes from" type="email" value={emailFrom} onChange={(e) => setEmailFrom(e.target.value)} aria-invalid={invalid('emailFrom')} hint="For example office@yourpractice.example" />
      </fieldset>
      <fieldset className="stack">
        <legend>Text messages</legend>
        <SelectField label="Send texts through" value={textProvider} onChange={(e) => setTextProvider(e.target.value as typeof textProvider)}>
          <option value="development">Development: shown on the Outbox page, not sent</option>
          <option value="twilio">Twilio</option>
          <option value="none">Nothing: texts are off</option>
        </SelectField>
        {textProvider === 'twilio' && (
          <>
            <Field label="Account SID" value={twilioAccountSid} onChange={(e) => setTwilioAccountSid(e.target.value)} aria-invalid={invalid('twilioAccountSid')} autoComplete="off" />
            <Field
              label="Auth token"
              type="password"
              value={twilioAuthToken}
              onChange={(e) => setTwilioAuthToken(e.target.value)}
              autoComplete="new-password"
              hint={settings.hasTwilioAuthToken ? 'A token is saved. Leave this empty to keep it.' : 'No token saved.'}
              aria-invalid={invalid('twilioAuthToken')}
            />
            <Field label="Texts come from" type="tel" value={twilioFrom} onChange={(e) => setTwilioFrom(e.target.value)} aria-invalid={invalid('twilioFrom')} hint="The practice's Twilio number, such as +15105550100" />
            <Field label="API address" value={twilioApiBaseUrl} onChange={(e) => setTwilioApiBaseUrl(e.target.value)} aria-invalid={invalid('twilioApiBaseUrl')} hint="Leave empty for https://api.twilio.com" />
            <p className="hint">
              In Twilio, set the number's incoming message webhook to <code>/api/webhooks/twilio/{practiceId}/inbound</code> on this server's public address, so that a client's STOP reply is honoured.
            </p>
          </>
        )}
      </fieldset>
      <fieldset>
        <legend>Quiet hours</legend>
        <p className="hint">No message goes out between these times (the practice's time zone). A client's own quiet hours for a channel come first.</p>
        <div className="field-pair">
          <Field label="Quiet from" type="time" value={quietStart} onChange={(e) => setQuietStart(e.target.value)} aria-invalid={invalid('quietHours.start')} />
          <Field label="Quiet until" type="time" value={quietEnd} onChange={(e) => setQuietEnd(e.target.value)} aria-invalid={invalid('quietHours.end')} />
        </div>
      </fieldset>
      <ProblemAlert problem={problem} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Save messaging settings
        </button>
        <SavedStatus text={status} />
      </div>
    </form>
  );
}
