// What the /api/policy endpoints send.
import { formatDateTime } from '../time.ts';

export interface PolicyVersionSummary {
  version: number;
  title: string;
  publishedAt: string;
  publishedByName: string | null;
}

export interface Policy extends PolicyVersionSummary {
  bodyMarkdown: string;
}

export const MAX_TITLE = 200;
export const MAX_TEXT = 20_000;
export const DEFAULT_TITLE = 'Emergency and interruption policy';

/** "published 12 Mar 2026, 10:04 by Dana Reyes" */
export function publishedWords(p: PolicyVersionSummary, timeZone: string, sentence = false): string {
  return `${sentence ? 'Published' : 'published'} ${formatDateTime(p.publishedAt, timeZone)}${p.publishedByName ? ` by ${p.publishedByName}` : ''}`;
}
