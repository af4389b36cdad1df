import type { ProtocolInput } from '../definition.ts';

const high = { step: 'cssrs', equals: 'high' } as const;
const moderate = { step: 'cssrs', equals: 'moderate' } as const;
// The screener's "none" takes the low path: the clinician still reviews the plan.
const lowOrNone = { step: 'cssrs', in: ['low', 'none'] };

export const imminentRiskToSelf: ProtocolInput = {
  key: 'imminent-risk-to-self',
  version: 1,
  title: 'Imminent risk to self',
  discreetTitle: 'Check-in support',
  source: 'DESIGN.md protocol 1; seeds 001, 004; C-SSRS screener (Posner et al.)',
  pagesAtOnce: true,
  parameters: {
    highContactHours: { default: 24, min: 1, max: 24, unit: 'hours', description: 'High risk: contact the client again within this many hours' },
    moderateContactHours: { default: 24, min: 1, max: 48, unit: 'hours', description: 'Moderate risk: contact the client within this many hours' },
    moderateNextSessionHours: { default: 72, min: 24, max: 168, unit: 'hours', description: 'Moderate risk: next session within this many hours' },
  },
  steps: [
    { id: 'stay', kind: 'check', title: 'Stay with the client; do not leave them alone', discreetTitle: 'Stay in the room', required: true, source: 'seed 004' },
    { id: 'cssrs', kind: 'assessment', instrument: 'cssrs', title: 'Ask the C-SSRS screener questions', discreetTitle: 'Screener', required: true, source: 'C-SSRS screener' },
    // High risk (seed 004: involve emergency services)
    { id: 'emergency-services', kind: 'action', action: 'call_emergency_services', when: high, title: 'Call 911 or the mobile crisis team now', discreetTitle: 'Make the call', required: true, source: 'seed 004; C-SSRS screener triage (high)' },
    { id: 'not-alone', kind: 'check', when: high, title: 'Keep the client with you until help arrives', discreetTitle: 'Stay together', required: true, source: 'seed 004' },
    { id: 'emergency-contact-high', kind: 'action', action: 'contact_emergency_contact', when: high, title: "Call the client's emergency contact", discreetTitle: 'Call the contact', required: true, source: 'seed 004' },
    { id: 'hospitalization-route', kind: 'documentation', field: 'notes', prompt: 'Where is the client going and how (ambulance, crisis team, emergency contact)?', when: high, title: 'Record the route to hospital or crisis care', discreetTitle: 'Travel plan', required: true, source: 'seed 004' },
    { id: 'means-safety', kind: 'check', when: high, title: 'Talk through removing access to means (weapons, medication)', discreetTitle: 'Items at home', required: true, source: 'seed 004; C-SSRS screener triage guidance' },
    { id: 'page-supervisor-high', kind: 'action', action: 'page_supervisor', when: high, title: 'Page your supervisor', discreetTitle: 'Update supervisor', required: true, source: 'DESIGN.md paging' },
    { id: 'contact-high', kind: 'action', action: 'create_follow_up', when: high, title: 'Set a contact with the client within 24 hours', discreetTitle: 'Plan a call', required: true, source: 'DESIGN.md follow-through (high risk)', followUp: { kind: 'contact-client', title: 'Contact the client (high risk)', dueInHours: 'highContactHours' } },
    // Moderate risk
    { id: 'safety-plan-now', kind: 'check', when: moderate, title: 'Make or update the safety plan together now', discreetTitle: 'Update the plan', required: true, source: 'seed 001; C-SSRS screener triage (moderate)' },
    { id: 'supervisor-consult', kind: 'action', action: 'page_supervisor', when: moderate, title: 'Consult your supervisor', discreetTitle: 'Talk to supervisor', required: true, source: 'seed 004' },
    { id: 'contact-moderate', kind: 'action', action: 'create_follow_up', when: moderate, title: 'Set a contact with the client within 24 hours', discreetTitle: 'Plan a call', required: true, source: 'DESIGN.md protocol 1 (moderate)', followUp: { kind: 'contact-client', title: 'Contact the client (moderate risk)', dueInHours: 'moderateContactHours' } },
    { id: 'next-session-moderate', kind: 'action', action: 'schedule_next_session', when: moderate, title: 'Book the next session within 72 hours', discreetTitle: 'Book next session', required: true, source: 'DESIGN.md protocol 1 (moderate)', followUp: { kind: 'next-session', title: 'Next session (moderate risk)', dueInHours: 'moderateNextSessionHours' } },
    // Low risk
    { id: 'review-safety-plan', kind: 'check', when: lowOrNone, title: 'Review the safety plan with the client', discreetTitle: 'Review the plan', required: true, source: 'seed 001; C-SSRS screener triage (low)' },
    { id: 'crisis-line', kind: 'check', when: lowOrNone, title: 'Give the crisis line: call or text 988', discreetTitle: 'Share the number', required: true, source: 'C-SSRS screener triage (low); 988 Suicide & Crisis Lifeline' },
    { id: 'next-session-low', kind: 'action', action: 'schedule_next_session', when: lowOrNone, title: 'Set the next session', discreetTitle: 'Book next session', required: true, source: 'DESIGN.md protocol 1 (low)' },
    { id: 'notes', kind: 'documentation', field: 'notes', prompt: 'Risk level, clinical justification and the plan', title: 'Write down the risk level and your reasons', discreetTitle: 'Notes', required: true, source: 'DESIGN.md incident report' },
  ],
};
