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
