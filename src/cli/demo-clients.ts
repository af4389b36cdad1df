import type { RiskLevel } from '../modules/clients/clients.table.ts';
import type { SafetyPlanContent } from '../domain/safety-plan.ts';

/**
 * The demo practice's clients: everyone invented, phone numbers from the 555-01xx
 * range reserved for fiction. The first six are the people of SCENARIOS.md.
 */
export interface DemoClient {
  legalName: string;
  preferredName?: string;
  pronouns: string;
  clinician: 'mei' | 'sam' | 'noor';
  phone: string;
  email?: string;
  address?: string;
  risk?: { level: RiskLevel; justification: string };
  contact?: { name: string; relationship: string; phone: string; consent: 'emergency' | 'ask_at_time' | 'none'; mayBeTold: string };
  /** Follow-up channels the client consented to. */
  channels?: { channel: 'voice' | 'text' | 'email'; quietHours?: { start: string; end: string } }[];
  safetyPlan?: boolean;
  /** Which policy version the client acknowledged: 2 is current, 1 is outdated. */
  acknowledged?: 1 | 2;
  /** Today's session, local time, and how. */
  today?: { time: string; modality: 'in_person' | 'telehealth' };
}

export const DEMO_CLIENTS: DemoClient[] = [
  { legalName: 'Jordan Reyes', pronouns: 'they/them', clinician: 'mei', phone: '+15105550101', email: 'jordan.reyes@example.test',
    risk: { level: 'low', justification: 'No current ideation; family conflict is the main stressor.' },
    contact: { name: 'Ana Reyes', relationship: 'sister', phone: '+15105550151', consent: 'emergency', mayBeTold: 'Whether Jordan is safe; no session content.' },
    channels: [{ channel: 'text', quietHours: { start: '21:00', end: '08:00' } }], safetyPlan: true, acknowledged: 2, today: { time: '09:00', modality: 'in_person' } },
  { legalName: 'Riley Okafor', pronouns: 'she/her', clinician: 'mei', phone: '+15105550102', address: '48 Example Lane, Oakland, CA 94610',
    risk: { level: 'moderate', justification: 'Passive ideation in the past month; protective factors: sister, work.' },
    contact: { name: 'Dana Okafor', relationship: 'sister', phone: '+15105550152', consent: 'emergency', mayBeTold: 'That Riley needs support now and where she is.' },
    channels: [{ channel: 'voice' }, { channel: 'text', quietHours: { start: '22:00', end: '08:00' } }], safetyPlan: true, acknowledged: 2, today: { time: '10:00', modality: 'telehealth' } },
  { legalName: 'Samuel Whitfield', preferredName: 'Sam Whitfield', pronouns: 'he/him', clinician: 'mei', phone: '+15105550103',
    risk: { level: 'low', justification: 'Trauma work; distress rises in sessions, no ideation.' },
    contact: { name: 'Chris Whitfield', relationship: 'partner', phone: '+15105550153', consent: 'ask_at_time', mayBeTold: 'Only what Sam agrees to at the time.' },
    channels: [{ channel: 'text', quietHours: { start: '21:00', end: '08:00' } }], safetyPlan: true, acknowledged: 2, today: { time: '11:00', modality: 'in_person' } },
  { legalName: 'Taylor Brooks', pronouns: 'they/them', clinician: 'mei', phone: '+15105550104',
    contact: { name: 'Morgan Brooks', relationship: 'parent', phone: '+15105550154', consent: 'emergency', mayBeTold: 'Medical information needed in an emergency.' },
    channels: [{ channel: 'voice' }, { channel: 'email' }], acknowledged: 1, today: { time: '15:00', modality: 'in_person' } },
  { legalName: 'Alexander Kim', preferredName: 'Alex Kim', pronouns: 'he/him', clinician: 'sam', phone: '+15105550105',
    risk: { level: 'none', justification: 'No risk indicators at intake or since.' },
    contact: { name: 'Jamie Kim', relationship: 'spouse', phone: '+15105550155', consent: 'emergency', mayBeTold: 'Whether Alex is safe.' },
    channels: [{ channel: 'email' }], safetyPlan: true, acknowledged: 2, today: { time: '14:00', modality: 'in_person' } },
  { legalName: 'Casey Morgan', pronouns: 'he/him', clinician: 'sam', phone: '+15105550106',
    risk: { level: 'moderate', justification: 'Anger at a coworker; no plan or intent voiced so far.' },
    channels: [{ channel: 'voice' }], acknowledged: 1, today: { time: '13:00', modality: 'in_person' } },
  { legalName: 'Priya Natarajan', pronouns: 'she/her', clinician: 'mei', phone: '+15105550107',
    risk: { level: 'high', justification: 'Recent attempt (within 3 months); weekly sessions and a safety plan in place.' },
    contact: { name: 'Ravi Natarajan', relationship: 'brother', phone: '+15105550157', consent: 'emergency', mayBeTold: 'That Priya needs support; where she is.' },
    channels: [{ channel: 'voice' }, { channel: 'text' }], safetyPlan: true, acknowledged: 2 },
  { legalName: 'Marcus Oyelaran', pronouns: 'he/him', clinician: 'mei', phone: '+15105550108', acknowledged: 2 },
  { legalName: 'Elena Vasquez', pronouns: 'she/her', clinician: 'mei', phone: '+15105550109',
    contact: { name: 'Luis Vasquez', relationship: 'father', phone: '+15105550159', consent: 'none', mayBeTold: '' },
    channels: [{ channel: 'email' }], safetyPlan: true },
  { legalName: 'Hannah Lindqvist', pronouns: 'she/her', clinician: 'mei', phone: '+15105550110', safetyPlan: true, acknowledged: 1,
    risk: { level: 'low', justification: 'History of self-harm in adolescence; none in years.' } },
  { legalName: 'Omar Haddad', pronouns: 'he/him', clinician: 'sam', phone: '+15105550111', safetyPlan: true, acknowledged: 2,
    contact: { name: 'Leila Haddad', relationship: 'mother', phone: '+15105550161', consent: 'emergency', mayBeTold: 'Whether Omar is safe.' } },
  { legalName: 'Grace Adeyemi', pronouns: 'she/her', clinician: 'sam', phone: '+15105550112', acknowledged: 2,
    risk: { level: 'high', justification: 'Intent voiced last week; supervisor consulted; plan reviewed twice weekly.' },
    contact: { name: 'Tunde Adeyemi', relationship: 'husband', phone: '+15105550162', consent: 'emergency', mayBeTold: 'That Grace needs support now.' },
    channels: [{ channel: 'voice' }, { channel: 'text', quietHours: { start: '22:00', end: '07:30' } }], safetyPlan: true },
  { legalName: 'Benjamin Cho', preferredName: 'Ben Cho', pronouns: 'he/him', clinician: 'sam', phone: '+15105550113', acknowledged: 1 },
  { legalName: 'Isabel Ferreira', pronouns: 'she/her', clinician: 'sam', phone: '+15105550114', safetyPlan: true, acknowledged: 2,
    contact: { name: 'Rosa Ferreira', relationship: 'sister', phone: '+15105550164', consent: 'emergency', mayBeTold: 'Whether Isabel is safe.' } },
  { legalName: 'Noah Brennan', pronouns: 'he/him', clinician: 'noor', phone: '+15105550115', acknowledged: 2, today: { time: '10:00', modality: 'in_person' },
    contact: { name: 'Siobhan Brennan', relationship: 'mother', phone: '+15105550165', consent: 'emergency', mayBeTold: 'Whether Noah is safe.' }, safetyPlan: true },
  { legalName: 'Aiyana Whitehorse', pronouns: 'she/her', clinician: 'noor', phone: '+15105550116', acknowledged: 1, today: { time: '11:00', modality: 'telehealth' },
    risk: { level: 'moderate', justification: 'Grief after a loss; passive thoughts, no plan.' } },
  { legalName: 'Theo Marchetti', pronouns: 'he/him', clinician: 'noor', phone: '+15105550117', safetyPlan: true, acknowledged: 2, today: { time: '16:00', modality: 'in_person' },
    contact: { name: 'Giulia Marchetti', relationship: 'partner', phone: '+15105550167', consent: 'emergency', mayBeTold: 'Whether Theo is safe.' } },
  { legalName: 'Zara Qureshi', pronouns: 'she/her', clinician: 'noor', phone: '+15105550118' },
  { legalName: 'Lucas Moreau', pronouns: 'he/him', clinician: 'noor', phone: '+15105550119', acknowledged: 2, safetyPlan: true,
    contact: { name: 'Claire Moreau', relationship: 'sister', phone: '+15105550169', consent: 'ask_at_time', mayBeTold: 'Only what Lucas agrees to at the time.' } },
  { legalName: 'Mina Park', pronouns: 'she/her', clinician: 'noor', phone: '+15105550120', acknowledged: 1,
    risk: { level: 'low', justification: 'Anxiety; no risk indicators.' } },
];

/** A short plan in our own words along the six steps; the same shape for every demo client. */
export function demoSafetyPlan(c: DemoClient): SafetyPlanContent {
  const helper = c.contact ? [{ name: c.contact.name, phone: c.contact.phone, note: c.contact.relationship }] : [];
  return {
    warningSigns: ['Not sleeping for more than two nights', 'Pulling away from friends', 'Thinking nobody would notice if I was gone'],
    copingStrategies: ['Walk around the block and name five things I can see', 'Hot shower, then music from my calm playlist'],
    distractionContacts: [{ name: 'Neighbourhood library reading room', note: 'Open until 8 pm' }],
    helpContacts: helper,
    professionalContacts: [{ name: '988 Suicide & Crisis Lifeline (call or text)', phone: '988' }, { name: 'Harbor Counseling front desk', phone: '+15105550100' }],
    safeEnvironment: ['Medicines kept by a family member', 'No alcohol in the house during hard weeks'],
    reasonsForLiving: ['My niece', 'Finishing my course', 'The dog'],
  };
}
