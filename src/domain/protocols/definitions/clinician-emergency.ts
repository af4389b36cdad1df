import type { ProtocolInput } from '../definition.ts';

export const clinicianEmergency: ProtocolInput = {
  key: 'clinician-emergency',
  version: 1,
  title: 'Your own urgent emergency',
  discreetTitle: 'Schedule change',
  source: 'DESIGN.md protocol 6; seed 000',
  parameters: {
    followUpHours: { default: 24, min: 1, max: 72, unit: 'hours', description: 'Follow up with the client within this many hours' },
  },
  steps: [
    { id: 'can-wait', kind: 'question', options: [{ value: 'yes', label: 'Yes, it can wait until the session ends' }, { value: 'no', label: 'No, I must go now' }], title: 'Can it wait until the session ends?', discreetTitle: 'Can it wait?', required: true, source: 'seed 000 (assessing the situation)' },
    { id: 'continue', kind: 'check', when: { step: 'can-wait', equals: 'yes' }, title: 'Continue the session; deal with it afterwards', discreetTitle: 'Carry on', required: true, source: 'seed 000 (assessing the situation)' },
    { id: 'excuse', kind: 'check', when: { step: 'can-wait', equals: 'no' }, title: 'Excuse yourself: "I\'m sorry, I have an urgent personal matter. It has nothing to do with you or what you shared."', discreetTitle: 'Excuse yourself', required: true, source: 'seed 000 (briefly excuse themselves)' },
    { id: 'reschedule', kind: 'action', action: 'schedule_next_session', when: { step: 'can-wait', equals: 'no' }, title: 'End the session and offer a priority reschedule', discreetTitle: 'Offer a new time', required: true, source: 'seed 000 (setting boundaries; follow-up)' },
    { id: 'follow-up', kind: 'action', action: 'create_follow_up', when: { step: 'can-wait', equals: 'no' }, title: 'Set a follow-up with the client for tomorrow', discreetTitle: 'Plan a follow-up', required: true, source: 'seed 000 (follow-up with clients post-emergency)', followUp: { kind: 'follow-up', title: 'Follow up after your emergency', dueInHours: 'followUpHours' } },
    { id: 'notes', kind: 'documentation', field: 'notes', prompt: 'What happened to the session; no client detail', title: 'Note the interruption without client detail', discreetTitle: 'Notes', required: true, source: 'seed 000' },
  ],
};
