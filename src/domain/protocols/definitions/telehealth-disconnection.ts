import type { ProtocolInput } from '../definition.ts';

const yesNo = [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }];
const notReconnected = { step: 'reconnected', equals: 'no' } as const;

export const telehealthDisconnection: ProtocolInput = {
  key: 'telehealth-disconnection',
  version: 1,
  title: 'Telehealth disconnection while at risk',
  discreetTitle: 'Connection issue',
  source: 'DESIGN.md protocol 8',
  pagesAtOnce: true,
  parameters: {
    reconnectMinutes: { default: 2, min: 1, max: 10, unit: 'minutes', description: 'How long to try reconnecting before calling' },
  },
  steps: [
    { id: 'reconnect', kind: 'timer', minutes: 'reconnectMinutes', title: 'Try to reconnect the video call', discreetTitle: 'Reconnect', required: true, source: 'DESIGN.md protocol 8' },
    { id: 'reconnected', kind: 'question', options: yesNo, title: 'Are you reconnected?', discreetTitle: 'Connected?', required: true, source: 'DESIGN.md protocol 8' },
    { id: 'call-back', kind: 'action', action: 'contact_client', when: notReconnected, title: 'Call the callback number', discreetTitle: 'Call back', required: true, source: 'DESIGN.md protocol 8' },
    { id: 'reached', kind: 'question', options: yesNo, when: notReconnected, title: 'Did you reach the client by phone?', discreetTitle: 'Reached by phone?', required: true, source: 'DESIGN.md protocol 8' },
    { id: 'dispatch', kind: 'action', action: 'call_emergency_services', when: [notReconnected, { step: 'reached', equals: 'no' }], title: 'Send emergency services to the confirmed location', discreetTitle: 'Make the call', required: true, source: 'DESIGN.md protocol 8' },
    { id: 'resume', kind: 'check', title: 'Resume the risk assessment with the client when in contact', discreetTitle: 'Resume check-in', required: false, source: 'DESIGN.md protocol 1' },
    { id: 'notes', kind: 'documentation', field: 'notes', prompt: 'Attempts, times, who was sent where', title: 'Write down what you tried and when', discreetTitle: 'Notes', required: true, source: 'DESIGN.md incident report' },
  ],
};
