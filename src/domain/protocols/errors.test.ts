import { describe, expect, it } from 'vitest';
import { PROBLEMS } from '../../server/problems.ts';
import { PROTOCOL_ERRORS } from './errors.ts';

describe('protocol errors over HTTP', () => {
  it('every protocol error code is a problem code with the same status', () => {
    for (const [code, status] of Object.entries(PROTOCOL_ERRORS)) {
      expect(PROBLEMS[code as keyof typeof PROBLEMS]?.status, code).toBe(status);
    }
  });
});
