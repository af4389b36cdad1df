import { z } from 'zod';
import { parsePhoneNumberWithError } from 'libphonenumber-js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../domain/password-policy.ts';

/** Field schemas shared by several modules' routes. */
export const emailField = z.string().trim().max(254).email('Enter a valid email address');
export const passwordField = z.string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH);
export const personName = z.string().trim().min(1, 'Enter a name').max(200);
export const timeZoneField = z.string().max(64).refine(isTimeZone, 'Use a time zone such as America/Los_Angeles');
export const uuidField = z.string().uuid();

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  code: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** A phone number as typed, validated and stored in E.164 (+14155550123). US numbers may omit +1. */
export const phoneField = z.string().trim().min(1, 'Enter a phone number').max(40).transform((value, ctx) => {
  // Short service numbers (911, 988) are dialled as they are.
  if (/^(911|988|112|999)$/.test(value)) return value;
  try {
    const parsed = parsePhoneNumberWithError(value, 'US');
    if (parsed.isValid()) return parsed.number;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'Enter a valid phone number, such as (415) 555-0123 or +44 20 7946 0958' });
  return z.NEVER;
});
export const shortText = (max = 200) => z.string().trim().max(max);
export const requiredText = (max = 200) => z.string().trim().min(1, 'This is required').max(max);
export const calendarDate = z.iso.date();
