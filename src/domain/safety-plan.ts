/**
 * The safety plan's structure: the six steps of Stanley & Brown's Safety Planning
 * Intervention (Stanley & Brown 2012, Cognitive and Behavioral Practice 19:256-264),
 * plus reasons for living. Headings and prompts are our own words; the published form
 * is copyrighted and its text is not used.
 */
export const SAFETY_PLAN_SECTIONS = [
  { key: 'warningSigns', step: 1, title: 'Signs that a crisis may be starting', prompt: 'Thoughts, feelings, situations or behaviours that tell you things are getting harder.' },
  { key: 'copingStrategies', step: 2, title: 'Things I can do on my own to feel calmer', prompt: 'Activities that take your mind off things without contacting anyone.' },
  { key: 'distractionContacts', step: 3, title: 'People and places that help me take my mind off things', prompt: 'Names and numbers, or places where you can be around others.' },
  { key: 'helpContacts', step: 4, title: 'People I can ask for help', prompt: 'Family members or friends you can tell that you are struggling.' },
  { key: 'professionalContacts', step: 5, title: 'Professionals and crisis lines I can contact', prompt: 'Your clinician, an urgent care or emergency service, and the 988 Suicide & Crisis Lifeline.' },
  { key: 'safeEnvironment', step: 6, title: 'Making my surroundings safer', prompt: 'Steps to keep lethal means away or out of reach while a crisis passes.' },
  { key: 'reasonsForLiving', step: null, title: 'What matters most to me', prompt: 'People, hopes and reasons worth staying safe for.' },
] as const;

export type SafetyPlanSectionKey = (typeof SAFETY_PLAN_SECTIONS)[number]['key'];

export interface PlanContact {
  name: string;
  phone?: string | undefined;
  note?: string | undefined;
}

export interface SafetyPlanContent {
  warningSigns: string[];
  copingStrategies: string[];
  distractionContacts: PlanContact[];
  helpContacts: PlanContact[];
  professionalContacts: PlanContact[];
  safeEnvironment: string[];
  reasonsForLiving: string[];
}

/** 988 Suicide & Crisis Lifeline (US, since July 2022): always on step 5. */
export const LIFELINE_988: PlanContact = { name: '988 Suicide & Crisis Lifeline (call or text)', phone: '988' };

export function emptySafetyPlan(): SafetyPlanContent {
  return {
    warningSigns: [], copingStrategies: [], distractionContacts: [], helpContacts: [],
    professionalContacts: [LIFELINE_988], safeEnvironment: [], reasonsForLiving: [],
  };
}

export interface PlanGap {
  section: SafetyPlanSectionKey;
  severity: 'warning' | 'serious';
  message: string;
}

/**
 * What the plan lacks. An empty section is a warning; having no one to ask for help
 * is serious, because reaching out to people is the step the plan leans on in a crisis.
 */
export function safetyPlanGaps(plan: SafetyPlanContent): PlanGap[] {
  const gaps: PlanGap[] = [];
  for (const section of SAFETY_PLAN_SECTIONS) {
    if (plan[section.key].length > 0) continue;
    gaps.push(section.key === 'helpContacts'
      ? { section: section.key, severity: 'serious', message: 'There is no one listed to ask for help.' }
      : { section: section.key, severity: 'warning', message: `“${section.title}” is empty.` });
  }
  if (!plan.professionalContacts.some((c) => c.phone === '988')) {
    gaps.push({ section: 'professionalContacts', severity: 'warning', message: 'The 988 Lifeline is not listed.' });
  }
  return gaps;
}
