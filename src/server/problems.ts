/**
 * Every error the API sends has a stable, greppable code and an HTTP status
 * (after fastify's lib/errors.js). Sent as application/problem+json (RFC 9457).
 */
export const PROBLEMS = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Send the request body as application/json' },
  BODY_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  NOT_SIGNED_IN: { status: 401, title: 'Sign in to continue' },
  SESSION_EXPIRED: { status: 401, title: 'Your session ended after a period of inactivity' },
  STANDBY_ENDED: { status: 401, title: 'This browser is not standing by for pages; sign in to stand by again' },
  INVALID_CREDENTIALS: { status: 401, title: 'Email or password is not right' },
  TOTP_REQUIRED: { status: 401, title: 'Enter the code from your authenticator app' },
  TOTP_INVALID: { status: 401, title: 'That authenticator code is not right' },
  TOTP_ENROLLMENT_REQUIRED: { status: 403, title: 'Set up a second factor before continuing' },
  TOTP_NOT_STARTED: { status: 409, title: 'Start setting up the second factor first' },
  SIGN_IN_THROTTLED: { status: 429, title: 'Too many failed sign-ins' },
  CSRF_TOKEN_INVALID: { status: 403, title: 'The request is missing its anti-forgery token' },
  FORBIDDEN: { status: 403, title: 'You do not have permission to do this' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such endpoint' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  SETUP_ALREADY_DONE: { status: 409, title: 'This practice is already set up' },
  EMAIL_IN_USE: { status: 409, title: 'Someone already uses this email' },
  INVITE_NOT_FOUND: { status: 404, title: 'This invite link is not valid' },
  INVITE_EXPIRED: { status: 410, title: 'This invite link has expired' },
  INVITE_ALREADY_USED: { status: 409, title: 'This invite has already been used' },
  NOT_A_CLINICIAN: { status: 422, title: 'Only clinicians can be supervised' },
  POLICY_VERSION_UNKNOWN: { status: 422, title: 'There is no such version of the policy' },
  ACKNOWLEDGED_BEFORE_PUBLISHED: { status: 422, title: 'That date is before this version of the policy was published' },
  SAFETY_PLAN_CHANGED: { status: 409, title: 'Someone else saved this safety plan meanwhile' },
  CLINICIAN_NOT_ON_CARE_TEAM: { status: 422, title: "That clinician is not on this client's care team" },
  APPOINTMENT_OVERLAPS: { status: 409, title: 'The clinician already has an appointment at that time' },
  APPOINTMENT_CANCELLED: { status: 409, title: 'This appointment is cancelled' },
  BOOKING_CLIENT_ARCHIVED: { status: 409, title: "This client's record is archived" },
  TELEHEALTH_LOCATION_REQUIRED: { status: 422, title: "Confirm the client's current location and a callback number first" },
  STEP_OUT_UNDER_WAY: { status: 409, title: 'You have already stepped out of this session' },
  STEP_OUT_ALREADY_RETURNED: { status: 409, title: 'This step-out has already ended' },
  SESSION_ENDED: { status: 409, title: 'This session has ended' },
  // Incidents and protocol runs (the step codes are those of src/domain/protocols/errors.ts)
  UNKNOWN_PROTOCOL: { status: 422, title: 'There is no such protocol' },
  INCIDENT_ID_REUSED: { status: 409, title: 'That incident id belongs to another incident' },
  RUN_ID_REUSED: { status: 409, title: 'That protocol run id belongs to another run' },
  EVENT_ID_REUSED: { status: 409, title: 'That step id was already used for a different action' },
  INCIDENT_ALREADY_CLOSED: { status: 409, title: 'This incident is closed' },
  DISCLOSURE_REQUIRED: { status: 422, title: 'Record who was told what' },
  RUNS_OPEN: { status: 409, title: 'A protocol of this incident is still open' },
  FOLLOW_UPS_OPEN: { status: 409, title: 'Follow-ups of this incident are still open' },
  FOLLOW_UP_NOT_OPEN: { status: 409, title: 'This follow-up is already done' },
  // Follow-up tasks (issue 5)
  FOLLOW_UP_CLOSED: { status: 409, title: 'This follow-up is done or cancelled' },
  FOLLOW_UP_ID_REUSED: { status: 409, title: 'That follow-up id belongs to another follow-up' },
  ATTEMPT_ID_REUSED: { status: 409, title: 'That attempt id was already used for another attempt' },
  MAX_ATTEMPTS_TOO_LOW: { status: 422, title: 'More attempts have already failed than that' },
  SESSION_NOT_FOR_CLIENT: { status: 422, title: "That session is not this client's" },
  OCCURRED_AT_INVALID: { status: 422, title: 'That time is not possible' },
  INVALID_DEFINITION: { status: 422, title: 'The protocol definition is not valid' },
  UNKNOWN_PARAMETER: { status: 422, title: 'The protocol has no such parameter' },
  PARAMETER_OUT_OF_RANGE: { status: 422, title: 'That value is outside what the protocol allows' },
  UNKNOWN_STEP: { status: 404, title: 'The protocol has no such step' },
  STEP_ALREADY_DONE: { status: 409, title: 'That step is already done' },
  STEP_NOT_APPLICABLE: { status: 409, title: 'That step does not apply given the answers so far' },
  WRONG_STEP_KIND: { status: 422, title: 'That step cannot be done that way' },
  ANSWER_OUT_OF_RANGE: { status: 422, title: 'That is not one of the answers' },
  ASSESSMENT_INCOMPLETE: { status: 422, title: 'The screener is not complete' },
  TEXT_REQUIRED: { status: 422, title: 'Write what should be recorded' },
  SKIP_REASON_REQUIRED: { status: 422, title: 'Give a reason for skipping' },
  TIMER_NOT_STARTED: { status: 409, title: 'The timer has not been started' },
  TIMER_ALREADY_STARTED: { status: 409, title: 'The timer is already running' },
  REQUIRED_STEPS_OPEN: { status: 409, title: 'Required steps are still open' },
  RUN_CLOSED: { status: 409, title: 'This protocol is already completed' },
  ON_CALL_NOT_CLINICIAN: { status: 422, title: 'Only active clinicians and supervisors of this practice can be on call' },
  // Messages to clients (issue 5)
  NO_CONSENT_FOR_CHANNEL: { status: 422, title: 'The client has not consented to this channel' },
  NO_ADDRESS_FOR_CHANNEL: { status: 422, title: 'The client has no address for this channel' },
  CHANNEL_NOT_CONFIGURED: { status: 422, title: 'This channel is not set up for the practice' },
  // After the session: caring contacts, agenda, reflection, approach, referral (src/modules/aftercare)
  CARING_CONTACTS_ACTIVE: { status: 409, title: 'This client already has caring contacts under way' },
  CARING_CONTACT_NOT_EDITABLE: { status: 409, title: 'This caring contact has already gone or was cancelled' },
  MESSAGE_HAS_CLINICAL_DETAIL: { status: 422, title: 'A message to a client carries no clinical detail' },
  INCIDENT_NOT_FOR_CLIENT: { status: 422, title: "That incident is not this client's" },
  RECORD_ID_REUSED: { status: 409, title: 'That id belongs to another record' },
  REFERRAL_CLINICIAN_INVALID: { status: 422, title: 'Refer to an active clinician of this practice' },
  REFERRAL_CLOSED: { status: 409, title: 'This referral is closed' },
  MESSAGE_ID_REUSED: { status: 409, title: 'That message id belongs to another message' },
  MESSAGING_SETTINGS_INCOMPLETE: { status: 422, title: 'Some messaging settings are missing' },
  WEBHOOK_SIGNATURE_INVALID: { status: 403, title: 'The request signature is not valid' },
  // Incident reports (issue 6): signed reports are locked; later changes are addenda
  REPORT_SIGNED: { status: 409, title: 'This report is signed and locked; add an addendum instead' },
  REPORT_CHANGED: { status: 409, title: 'Someone else saved this report meanwhile' },
  REPORT_NOT_SAVED: { status: 409, title: 'Save the draft before signing it' },
  REPORT_NOT_SIGNED: { status: 409, title: 'This report is not signed yet' },
  REPORT_INCOMPLETE: { status: 422, title: 'The report is missing what a signature needs' },
  REPORT_NO_CLIENT_DETAIL: { status: 422, title: "The report of your own emergency holds none of the client's clinical detail" },
  REPORT_ALREADY_REVIEWED: { status: 409, title: 'This report has already been co-signed' },
  REPORT_NOT_REVIEWED: { status: 409, title: 'This report needs its co-signature before it closes' },
  REPORT_ALREADY_CLOSED: { status: 409, title: 'This report is already closed' },
  // The accounting of disclosures (HIPAA 45 CFR 164.528; src/modules/disclosures)
  ACCOUNTING_PERIOD_INVALID: { status: 422, title: 'That period cannot be accounted for' },
  ACCOUNTING_REQUEST_DATE_INVALID: { status: 422, title: 'That date of receipt is not possible' },
  ACCOUNTING_REQUEST_PROVIDED: { status: 409, title: 'This accounting has already been provided' },
  ACCOUNTING_REQUEST_ALREADY_EXTENDED: { status: 409, title: 'The deadline has already been extended once' },
  ACCOUNTING_EXTENSION_TOO_LATE: { status: 409, title: 'The 60 days have run out; an extension had to be given before then' },
  // The urgent-call gate (issue 7; src/modules/call-gate)
  ALERT_ALREADY_DECIDED: { status: 409, title: 'This alert has already been answered' },
  NO_NUMBER_TO_TEXT: { status: 409, title: 'There is no number to text back' },
  DIRECT_NUMBER_IN_USE: { status: 409, title: "That number is already another clinician's line" },
  SERVICE_UNAVAILABLE: { status: 503, title: 'The service is unavailable' },
  INTERNAL_ERROR: { status: 500, title: 'Something went wrong on our side' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export interface FieldError {
  path: string;
  message: string;
}

export class Problem extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly errors: FieldError[] | undefined;

  constructor(code: ProblemCode, detail?: string, options: { headers?: Record<string, string>; errors?: FieldError[] } = {}) {
    super(detail ?? PROBLEMS[code].title);
    this.code = code;
    this.status = PROBLEMS[code].status;
    this.headers = options.headers ?? {};
    this.errors = options.errors;
  }

  toJSON() {
    return {
      type: `https://holdspace.invalid/problems/${this.code.toLowerCase().replaceAll('_', '-')}`,
      title: PROBLEMS[this.code].title,
      status: this.status,
      detail: this.message,
      code: this.code,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}
