import { z } from 'zod';
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
