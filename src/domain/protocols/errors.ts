/** Stable, greppable codes with the HTTP status the routes should send them as. */
export const PROTOCOL_ERRORS = {
  INVALID_DEFINITION: 422,
  UNKNOWN_PARAMETER: 422,
  PARAMETER_OUT_OF_RANGE: 422,
  UNKNOWN_STEP: 404,
  STEP_ALREADY_DONE: 409,
  STEP_NOT_APPLICABLE: 409,
  WRONG_STEP_KIND: 422,
  ANSWER_OUT_OF_RANGE: 422,
  ASSESSMENT_INCOMPLETE: 422,
  TEXT_REQUIRED: 422,
  SKIP_REASON_REQUIRED: 422,
  TIMER_NOT_STARTED: 409,
  TIMER_ALREADY_STARTED: 409,
  REQUIRED_STEPS_OPEN: 409,
  RUN_CLOSED: 409,
} as const;

export type ProtocolErrorCode = keyof typeof PROTOCOL_ERRORS;

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly status: number;
  constructor(readonly code: ProtocolErrorCode, message: string) {
    super(message);
    this.status = PROTOCOL_ERRORS[code];
  }
}
