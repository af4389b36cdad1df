import type { ProtocolInput } from '../definition.ts';

const distress = { min: 0, max: 10 };

export const clientLeavesTriggered: ProtocolInput = {
  key: 'client-leaves-triggered',
  version: 1,
  title: 'Client leaves triggered',
  discreetTitle: 'Closing check',
  source: 'DESIGN.md protocol 5; seed 001',
  parameters: {
    checkInHours: { default: 4, min: 1, max: 24, unit: 'hours', description: 'Check in with the client within this many hours' },
  },
  steps: [
    { id: 'distress-before', kind: 'question', scale: distress, title: 'Ask: how distressed are you now, 0 to 10?', discreetTitle: 'Rating 1', required: true, source: 'seed 001 (assessment)' },
    { id: 'grounding', kind: 'check', title: 'Do a grounding exercise together', discreetTitle: 'Grounding', required: true, source: 'seed 001 (stabilize before the session ends)' },
    { id: 'distress-after', kind: 'question', scale: distress, title: 'Ask again: how distressed are you now, 0 to 10?', discreetTitle: 'Rating 2', required: true, source: 'seed 001 (assessment)' },
    { id: 'safe-to-leave', kind: 'question', options: [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }], title: 'Is the client settled enough to leave safely?', discreetTitle: 'Ready to go?', required: true, source: 'seed 001 (duty of care)' },
    { id: 'imminent-risk', kind: 'action', action: 'start_protocol', protocol: 'imminent-risk-to-self', when: { step: 'safe-to-leave', equals: 'no' }, title: 'Keep the client with you and switch to the imminent-risk protocol', discreetTitle: 'Stay; switch to Check-in support', required: true, source: 'seed 001 (duty of care); DESIGN.md protocol 1' },
    { id: 'safety-plan', kind: 'check', title: 'Review the safety plan together', discreetTitle: 'Review the plan', required: true, source: 'seed 001 (safety plan)' },
    { id: 'coping', kind: 'check', title: 'Remind the client of their coping strategies and the crisis line 988', discreetTitle: 'Coping reminders', required: true, source: 'seed 001 (encourage self-care)' },
    { id: 'check-in', kind: 'action', action: 'create_follow_up', title: 'Set a check-in call for later today', discreetTitle: 'Plan a check-in', required: true, source: 'seed 001 (follow-up protocol)', followUp: { kind: 'check-in', title: 'Check in with the client', dueInHours: 'checkInHours' } },
    { id: 'next-session', kind: 'action', action: 'schedule_next_session', title: 'Set the next session', discreetTitle: 'Book next session', required: true, source: 'seed 001 (follow-up)' },
  ],
};
