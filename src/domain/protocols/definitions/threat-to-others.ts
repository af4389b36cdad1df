import { LEGAL_BASIS, WIC_8105_REPORT_HOURS } from '../../duty-to-protect.ts';
import type { ProtocolInput } from '../definition.ts';

const applies = { step: 'duty', equals: 'applies' } as const;
const yesNo = [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }];

export const threatToOthers: ProtocolInput = {
  key: 'threat-to-others',
  version: 1,
  title: 'Threat to others — duty to protect',
  discreetTitle: 'Consultation notes',
  source: 'DESIGN.md protocol 2; seed 004; Cal. Civ. Code 43.92; Cal. Welf. & Inst. Code 8105(c)',
  pagesAtOnce: true,
  parameters: {},
  steps: [
    { id: 'exact-words', kind: 'documentation', field: 'exact_words', prompt: "Write the client's words exactly as said", title: "Write down the client's exact words", discreetTitle: 'Notes', required: true, source: 'seed 004; Cal. Civ. Code 43.92(a)' },
    { id: 'serious-threat', kind: 'question', options: yesNo, title: 'Was it a serious threat of physical violence?', discreetTitle: 'Seriousness', required: true, source: 'Cal. Civ. Code 43.92(a)' },
    { id: 'identifiable-victim', kind: 'question', options: yesNo, title: 'Is the victim reasonably identifiable?', discreetTitle: 'Identifiable', required: true, source: 'Cal. Civ. Code 43.92(a)' },
    { id: 'communicated-by', kind: 'question', title: 'Who told you of the threat?', discreetTitle: 'Source', required: true, source: 'Cal. Civ. Code 43.92(a); Ewing v. Goldstein (2004) 120 Cal.App.4th 807',
      options: [{ value: 'client', label: 'The client' }, { value: 'family_member', label: "A member of the client's family" }, { value: 'other', label: 'Someone else' }] },
    { id: 'duty', kind: 'decision', rule: 'duty_to_protect', inputs: { seriousThreat: 'serious-threat', identifiableVictim: 'identifiable-victim', communicatedBy: 'communicated-by' }, title: 'Does the duty to protect apply?', discreetTitle: 'Decision', required: true, source: 'Cal. Civ. Code 43.92(a)' },
    // Cal. Civ. Code 43.92(b): victim AND law enforcement — two required steps.
    { id: 'warn-victim', kind: 'action', action: 'record_disclosure', recipient: 'victim', legalBasis: LEGAL_BASIS.victim, when: applies, title: 'Warn the victim and record the disclosure', discreetTitle: 'Contact A', required: true, source: 'Cal. Civ. Code 43.92(b)' },
    { id: 'notify-police', kind: 'action', action: 'record_disclosure', recipient: 'law_enforcement', legalBasis: LEGAL_BASIS.law_enforcement, when: applies, title: 'Tell a law enforcement agency and record the disclosure', discreetTitle: 'Contact B', required: true, source: 'Cal. Civ. Code 43.92(b)' },
    { id: 'wic-8105-report', kind: 'action', action: 'create_follow_up', legalBasis: LEGAL_BASIS.wic_8105, when: applies, title: 'Report to local law enforcement within 24 hours', discreetTitle: 'Follow-up for B', required: true, source: 'Cal. Welf. & Inst. Code 8105(c)',
      followUp: { kind: 'wic-8105-report', title: 'WIC 8105(c) report to local law enforcement', dueInHours: WIC_8105_REPORT_HOURS, from: 'run_start' } },
    { id: 'consult', kind: 'action', action: 'page_supervisor', title: 'Consult your supervisor', discreetTitle: 'Talk to supervisor', required: true, source: 'seed 004' },
    { id: 'reasoning', kind: 'documentation', field: 'notes', prompt: 'Your assessment and why the duty does or does not apply', title: 'Write down your assessment and reasons', discreetTitle: 'Summary', required: true, source: 'seed 004; DESIGN.md incident report' },
  ],
};
