import { addMonths } from '../../domain/caring-contacts.ts';
import type { DisclosureRecipientKind } from '../incidents/incidents.table.ts';

/**
 * The dates of an accounting of disclosures (HIPAA 45 CFR 164.528), as calendar days
 * ('YYYY-MM-DD') in the practice's time zone. Pure: no clock, no I/O.
 */

/** 164.528(a)(1), (a)(3): an accounting covers up to six years before the request. */
export const ACCOUNTING_YEARS = 6;
/** 164.528(c)(1): act on a request no later than 60 days after receiving it. */
export const RESPONSE_DAYS = 60;
/** 164.528(c)(1)(ii): one extension of no more than 30 days, with a written statement of the reasons. */
export const EXTENSION_DAYS = 30;

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d + days);
  return t.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const ms = (date: string) => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const t = new Date(0);
    t.setUTCFullYear(y, m - 1, d);
    return t.getTime();
  };
  return Math.round((ms(to) - ms(from)) / 86_400_000);
}

/** The earliest day an accounting asked for on `asOf` may reach back to. */
export function earliestFrom(asOf: string): string {
  return addMonths(asOf, -12 * ACCOUNTING_YEARS);
}

/** The default period: the six years before `asOf`, through `asOf`. */
export function defaultPeriod(asOf: string): { from: string; to: string } {
  return { from: earliestFrom(asOf), to: asOf };
}

/** Why a period cannot be accounted for, or null when it can. */
export function periodProblem(period: { from: string; to: string }, today: string): string | null {
  if (period.from > period.to) return 'The period starts after it ends.';
  if (period.to > today) return 'The period cannot end after today.';
  if (period.from < earliestFrom(period.to)) return `An accounting covers at most the ${ACCOUNTING_YEARS} years before its end (HIPAA 45 CFR 164.528(a)).`;
  return null;
}

export function responseDueOn(receivedOn: string): string {
  return addDays(receivedOn, RESPONSE_DAYS);
}

export function extendedDueOn(dueOn: string): string {
  return addDays(dueOn, EXTENSION_DAYS);
}

const RECIPIENT_KINDS: Record<DisclosureRecipientKind, string> = {
  victim: 'Potential victim', law_enforcement: 'Law enforcement', emergency_contact: 'Emergency contact',
  emergency_services: 'Emergency services', other: 'Other',
};
export const recipientKindName = (kind: DisclosureRecipientKind): string => RECIPIENT_KINDS[kind];
