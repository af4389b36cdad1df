import type { ProtocolInput } from '../definition.ts';

const yesNo = [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }];
const noDanger = { step: 'danger-signs', equals: 'no' } as const;

export const clientWalksOut: ProtocolInput = {
  key: 'client-walks-out',
  version: 2,
  title: 'Client walks out',
  discreetTitle: 'Session ended early',
  source: 'DESIGN.md protocol 4; seed 003',
  parameters: {
    walkoutWaitMinutes: { default: 10, min: 0, max: 50, unit: 'minutes', description: 'How long to wait for the client to come back' },
    reachOutHours: { default: 8, min: 1, max: 24, unit: 'hours', description: 'Reach out to the client within this many hours (same day)' },
    // SCENARIOS S1: the next appointment is booked within 7 days.
    nextSessionHours: { default: 168, min: 24, max: 336, unit: 'hours', description: 'Book the next session within this many hours' },
  },
  steps: [
    { id: 'danger-signs', kind: 'question', options: yesNo, title: 'Any sign the client is in danger of harming themselves?', discreetTitle: 'Wellbeing check', required: true, source: 'seed 003 (assess safety)' },
    { id: 'imminent-risk', kind: 'action', action: 'start_protocol', protocol: 'imminent-risk-to-self', when: { step: 'danger-signs', equals: 'yes' }, title: 'Switch to the imminent-risk protocol', discreetTitle: 'Switch to Check-in support', required: true, source: 'seed 003 (assess safety); DESIGN.md protocol 4' },
    { id: 'wait', kind: 'timer', minutes: 'walkoutWaitMinutes', when: noDanger, title: 'Wait for the client to come back', discreetTitle: 'Wait a few minutes', required: true, source: 'seed 003 (wait and assess)' },
    { id: 'returned', kind: 'question', options: yesNo, when: noDanger, title: 'Did the client come back?', discreetTitle: 'Returned?', required: true, source: 'seed 003 (wait and assess)' },
    { id: 'reach-out', kind: 'action', action: 'contact_client', when: [noDanger, { step: 'returned', equals: 'no' }], title: 'Reach out after the session by the agreed channel', discreetTitle: 'Reach out later', required: true, source: 'seed 003 (reach out to the client)',
      followUp: { kind: 'reach-out', title: 'Reach out to the client today', dueInHours: 'reachOutHours' } },
    { id: 'reflect', kind: 'documentation', field: 'notes', prompt: 'What may have led to the client leaving?', title: 'Reflect on the session', discreetTitle: 'Reflection', required: true, source: 'seed 003 (reflect on the session)' },
    { id: 'agenda', kind: 'check', title: "Put the walkout on the next session's agenda", discreetTitle: 'Next agenda', required: true, source: 'seed 003 (discuss in the next session)' },
    // v2: the next session is booked inside a window; the schedule warns until it is (runs keep the version they started with).
    { id: 'next-session', kind: 'action', action: 'schedule_next_session', when: noDanger, title: 'Book the next session', discreetTitle: 'Book next session', required: false, source: 'seed 003 (discuss in the next session); SCENARIOS S1',
      followUp: { kind: 'next-session', title: 'Book the next session', dueInHours: 'nextSessionHours' } },
    { id: 'approach', kind: 'check', title: 'Consider your approach and the therapeutic fit', discreetTitle: 'Approach and fit', required: false, source: 'seed 003 (adjust approach; consider fit)' },
  ],
};
