// Paging and protocols: the practice's escalation policy and the numbers in its
// protocols. Clinicians read them (escalation.read); administrators change them.
import { can, useMe } from '../session.tsx';
import { usePageTitle } from '../ui.tsx';
import { EscalationPolicyPanel } from './escalation-policy-panel.tsx';
import { PagePhonePanel } from './page-phone-panel.tsx';
import { ProtocolParametersPanel } from './protocol-parameters-panel.tsx';

export function EmergencySettingsPage() {
  usePageTitle('Paging and protocols');
  const me = useMe();
  const canManage = can(me, 'escalation.manage');
  return (
    <div className="emergency-settings-page">
      <h1>Paging and protocols</h1>
      <p className="lede">
        When a clinician asks for help in an emergency, Holdspace pages people in this order until someone acknowledges.
        {canManage ? ' Change the order, the waits and who is on call here.' : ''}
      </p>
      {can(me, 'me.page_phone') && <PagePhonePanel />}
      <EscalationPolicyPanel canManage={canManage} />
      {can(me, 'protocols.read') && <ProtocolParametersPanel canConfigure={can(me, 'protocols.configure')} />}
    </div>
  );
}
