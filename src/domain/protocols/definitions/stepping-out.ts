import type { ProtocolInput } from '../definition.ts';

export const steppingOut: ProtocolInput = {
  key: 'stepping-out',
  version: 1,
  title: 'Stepping out (technical or facility issue)',
  discreetTitle: 'Short break',
  source: 'DESIGN.md protocol 7; seed 002',
  parameters: {
    stepOutMinutes: { default: 5, min: 1, max: 30, unit: 'minutes', description: 'Aim to be back within this many minutes' },
  },
  steps: [
    { id: 'tell-client', kind: 'check', title: 'Tell the client why you are stepping out and when you will be back', discreetTitle: 'Explain the break', required: true, source: 'seed 002' },
    { id: 'records-hidden', kind: 'check', title: 'Lock the screen and put records out of sight', discreetTitle: 'Lock the screen', required: true, source: 'seed 002 (confidentiality)' },
    { id: 'away', kind: 'timer', minutes: 'stepOutMinutes', title: 'Step out; tap when you are back', discreetTitle: 'Away timer', required: true, source: 'seed 002; DESIGN.md (time away is logged)' },
    { id: 'reason', kind: 'documentation', field: 'notes', prompt: 'The technical or facility issue', title: 'Note why you stepped out', discreetTitle: 'Reason', required: false, source: 'seed 002' },
  ],
};
