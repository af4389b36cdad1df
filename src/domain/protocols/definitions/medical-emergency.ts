import type { ProtocolInput } from '../definition.ts';

export const medicalEmergency: ProtocolInput = {
  key: 'medical-emergency',
  version: 1,
  title: 'Medical emergency in the room',
  discreetTitle: 'Pause session',
  source: 'DESIGN.md protocol 3; seed 002',
  pagesAtOnce: true,
  parameters: {
    checkInHours: { default: 24, min: 1, max: 72, unit: 'hours', description: 'Check in with the client within this many hours (next day)' },
  },
  steps: [
    { id: 'needs-911', kind: 'question', options: [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }], title: 'Does the client need emergency services (trouble breathing, unresponsive, severe reaction)?', discreetTitle: 'Call needed?', required: true, source: 'seed 002' },
    { id: 'call-911', kind: 'action', action: 'call_emergency_services', when: { step: 'needs-911', equals: 'yes' }, title: 'Call 911 now', discreetTitle: 'Make the call', required: true, source: 'seed 002' },
    { id: 'stay', kind: 'check', title: 'Stay with the client', discreetTitle: 'Stay close', required: true, source: 'seed 002' },
    { id: 'emergency-contact', kind: 'action', action: 'contact_emergency_contact', title: "Call the client's emergency contact", discreetTitle: 'Call the contact', required: false, source: 'seed 002' },
    { id: 'end-or-pause', kind: 'question', options: [{ value: 'end', label: 'End the session' }, { value: 'pause', label: 'Pause and resume' }], title: 'End or pause the session?', discreetTitle: 'End or pause', required: true, source: 'seed 002' },
    { id: 'reschedule', kind: 'action', action: 'schedule_next_session', when: { step: 'end-or-pause', equals: 'end' }, title: 'Offer a new session time', discreetTitle: 'Offer a new time', required: true, source: 'seed 002' },
    { id: 'check-in', kind: 'action', action: 'create_follow_up', title: 'Set a check-in for tomorrow', discreetTitle: 'Plan a check-in', required: true, source: 'seed 002', followUp: { kind: 'check-in', title: 'Check in after the medical emergency', dueInHours: 'checkInHours' } },
    { id: 'notes', kind: 'documentation', field: 'notes', prompt: 'What happened, what was done, who was called', title: 'Write down what happened', discreetTitle: 'Notes', required: true, source: 'DESIGN.md incident report' },
  ],
};
