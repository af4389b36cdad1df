/**
 * How long a practice keeps a client's record after the last contact.
 *
 * Default 7 years: California requires marriage and family therapists to keep records
 * at least 7 years from the last professional contact (Cal. Bus. & Prof. Code 4980.49;
 * for a minor, at least 7 years after the client turns 18); other states and
 * professions differ, so the practice sets its own. Never below 6: the accounting of
 * disclosures reaches back six years (HIPAA 45 CFR 164.528(a)) and HIPAA documentation
 * is kept six years (164.316(b)(2), 164.530(j)).
 */
export const DEFAULT_RETENTION_YEARS = 7;
export const MIN_RETENTION_YEARS = 6;
export const MAX_RETENTION_YEARS = 100;
