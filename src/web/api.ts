// Small fetch wrapper for the Holdspace API: JSON in, JSON out,
// problem+json errors, CSRF header and session-end handling.

export type Role = 'owner' | 'admin' | 'clinician' | 'supervisor' | 'front_desk';

export interface Me {
  user: { id: string; name: string; email: string; role: Role; totpEnabled: boolean };
  practice: { id: string; name: string; timeZone: string; requireTotp: boolean };
  /** For a supervisor: the clinicians they supervise. */
  supervisees: { id: string; name: string }[];
  csrfToken: string;
  mustEnrollTotp: boolean;
  allowed: string[];
}

export interface FieldProblem {
  path: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail: string;
  code?: string;
  errors?: FieldProblem[];
}

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail);
    this.name = 'ApiError';
    this.problem = problem;
  }
  get status(): number {
    return this.problem.status;
  }
  get code(): string | undefined {
    return this.problem.code;
  }
}

const SESSION_END_CODES = new Set(['NOT_SIGNED_IN', 'SESSION_EXPIRED']);

let csrfToken: string | null = null;
let sessionEndedHandler: (() => void) | null = null;

/** Set when /api/me or sign-in returns; cleared on sign-out or session end. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a signed-in request comes back 401 NOT_SIGNED_IN / SESSION_EXPIRED. */
export function onSessionEnded(handler: (() => void) | null): void {
  sessionEndedHandler = handler;
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Don't treat a 401 as "session ended" (used for /api/me and sign-out). */
  quietOn401?: boolean;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  const hasBody = opts.body !== undefined;
  if (hasBody) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: hasBody ? JSON.stringify(opts.body) : null,
      signal: opts.signal ?? null,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({
      status: 0,
      code: 'NETWORK',
      detail: "We couldn't reach Holdspace. Check your connection and try again.",
    });
  }

  const data: unknown = await readJson(res);
  if (res.ok) return data as T;

  const problem = toProblem(res, data);
  if (
    res.status === 401 &&
    problem.code !== undefined &&
    SESSION_END_CODES.has(problem.code) &&
    !opts.quietOn401 &&
    csrfToken !== null
  ) {
    csrfToken = null;
    sessionEndedHandler?.();
  }
  throw new ApiError(problem);
}

async function readJson(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return undefined;
  try {
    return await res.json();
  } catch {
    return undefined;
  }
}

function toProblem(res: Response, data: unknown): Problem {
  const p = (typeof data === 'object' && data !== null ? data : {}) as Partial<Problem>;
  return {
    ...p,
    status: typeof p.status === 'number' ? p.status : res.status,
    detail:
      typeof p.detail === 'string' && p.detail
        ? p.detail
        : typeof p.title === 'string' && p.title
          ? p.title
          : `Something went wrong (error ${res.status}). Please try again.`,
  };
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, body }),
};

/** Turn anything thrown into a Problem we can show. */
export function problemOf(err: unknown): Problem {
  if (err instanceof ApiError) return err.problem;
  return { status: 0, detail: 'Something unexpected happened. Please try again.' };
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
