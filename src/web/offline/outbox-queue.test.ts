import { describe, expect, it } from 'vitest';
import { ApiError } from '../api.ts';
import { memoryStorage, type KeyValueStorage } from './local-store.ts';
import { judgeFailure, MAX_SERVER_ERROR_ATTEMPTS, Outbox, OUTBOX_KEY, type OutboxItem } from './outbox-queue.ts';

/** A fake server: each call takes the next scripted outcome (data, or an error to throw). */
function fakeServer(...script: ({ data: unknown } | { error: unknown })[]) {
  const calls: OutboxItem[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const send = async (item: OutboxItem) => {
    calls.push(item);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await Promise.resolve();
    inFlight -= 1;
    const next = script.shift() ?? { data: { ok: true } };
    if ('error' in next) throw next.error;
    return next.data;
  };
  return { send, calls, get maxInFlight() { return maxInFlight; } };
}

/** Timers the test runs by hand. */
function fakeClock() {
  const waits: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  const schedule = (fn: () => void, ms: number) => {
    const w = { fn, ms, cancelled: false };
    waits.push(w);
    return () => void (w.cancelled = true);
  };
  const fire = () => {
    const w = waits.filter((x) => !x.cancelled).pop();
    if (!w) throw new Error('nothing scheduled');
    w.cancelled = true;
    w.fn();
  };
  return { schedule, waits, fire };
}

let n = 0;
function makeOutbox(server: ReturnType<typeof fakeServer>, storage: KeyValueStorage = memoryStorage(), clock = fakeClock()) {
  const box = new Outbox({ storage, send: server.send, schedule: clock.schedule, newId: () => `item-${++n}`, now: () => new Date('2026-03-02T10:00:00Z') });
  return { box, storage, clock };
}

const offline = () => new TypeError('Failed to fetch');
const problem = (status: number, code?: string) => new ApiError({ status, detail: `refused ${status}`, ...(code ? { code } : {}) });
const event = (stepId: string) => ({ method: 'POST' as const, path: '/api/incidents/i-1/runs/r-1/events', body: { id: `e-${stepId}`, action: { type: 'mark_done', stepId } } });

describe('the outbox, told as a story', () => {
  it('sends queued writes in order, then is empty; each answer is announced', async () => {
    const server = fakeServer({ data: { incident: 1 } }, { data: { run: 1 } });
    const { box } = makeOutbox(server);
    const sent: unknown[] = [];
    box.subscribe((e) => e.type === 'sent' && sent.push(e.data));
    box.enqueue({ method: 'POST', path: '/api/incidents', body: { id: 'i-1' } });
    box.enqueue(event('stay'));
    await box.flush();
    expect(server.calls.map((c) => c.path)).toEqual(['/api/incidents', '/api/incidents/i-1/runs/r-1/events']);
    expect(sent).toEqual([{ incident: 1 }, { run: 1 }]);
    expect(box.items()).toEqual([]);
    expect(server.maxInFlight).toBe(1);
  });

  it('without a connection, keeps the write at the head, waits longer each time, and sends everything in order when it returns', async () => {
    const server = fakeServer({ error: offline() }, { error: problem(0, 'NETWORK') }, { data: 'a' }, { data: 'b' });
    const { box, clock } = makeOutbox(server);
    box.enqueue(event('stay'));
    box.enqueue(event('cssrs'));
    await box.flush();
    // First failure: nothing dropped, the second write not tried, a retry in 1 s.
    expect(server.calls.map((c) => (c.body as { id: string }).id)).toEqual(['e-stay']);
    expect(box.items().map((i) => [(i.body as { id: string }).id, i.attempts ?? 0])).toEqual([['e-stay', 1], ['e-cssrs', 0]]);
    expect(box.networkDown).toBe(true);
    expect(clock.waits.at(-1)!.ms).toBe(1000);

    clock.fire();
    await box.flush();
    expect(clock.waits.at(-1)!.ms).toBe(2000); // backoff doubles
    expect(box.items()).toHaveLength(2);

    clock.fire();
    await box.flush();
    expect(server.calls.map((c) => (c.body as { id: string }).id)).toEqual(['e-stay', 'e-stay', 'e-stay', 'e-cssrs']);
    expect(box.items()).toEqual([]);
    expect(box.networkDown).toBe(false);
    expect(box.failures()).toEqual([]);
  });

  it('the browser coming back online retries at once instead of waiting out the backoff', async () => {
    const server = fakeServer({ error: offline() }, { data: 'ok' });
    const { box, clock } = makeOutbox(server);
    box.enqueue(event('stay'));
    await box.flush();
    expect(box.items()).toHaveLength(1);
    await box.retryNow();
    expect(box.items()).toEqual([]);
    expect(clock.waits.every((w) => w.cancelled)).toBe(true);
  });

  it('gateway errors (502, 503, 504) and session problems (sign in again, token not loaded) keep the write', async () => {
    for (const error of [problem(502), problem(503), problem(504), problem(401, 'SESSION_EXPIRED'), problem(403, 'CSRF_TOKEN_INVALID')]) {
      const server = fakeServer({ error });
      const { box } = makeOutbox(server);
      box.enqueue(event('stay'));
      await box.flush();
      expect(box.items(), `status ${error.status}`).toHaveLength(1);
      expect(box.failures()).toEqual([]);
    }
  });

  it('a refusal (4xx) drops that write, records why for the screen, and the queue goes on', async () => {
    const server = fakeServer({ error: problem(409, 'STEP_ALREADY_DONE') }, { data: 'ok' });
    const { box } = makeOutbox(server);
    const refused: string[] = [];
    box.subscribe((e) => e.type === 'refused' && refused.push(e.problem.code ?? ''));
    const first = box.enqueue(event('stay'));
    box.enqueue(event('cssrs'));
    await box.flush();
    expect(box.items()).toEqual([]);
    expect(server.calls).toHaveLength(2);
    expect(refused).toEqual(['STEP_ALREADY_DONE']);
    expect(box.failures()).toEqual([{ item: first, problem: expect.objectContaining({ status: 409, code: 'STEP_ALREADY_DONE' }), failedAt: '2026-03-02T10:00:00.000Z' }]);
    box.dismiss(first.id);
    expect(box.failures()).toEqual([]);
  });

  it(`a server error is retried, then given up and shown after ${MAX_SERVER_ERROR_ATTEMPTS} attempts`, async () => {
    const server = fakeServer(...Array.from({ length: MAX_SERVER_ERROR_ATTEMPTS }, () => ({ error: problem(500, 'INTERNAL_ERROR') })));
    const { box, clock } = makeOutbox(server);
    box.enqueue(event('stay'));
    await box.flush();
    for (let i = 1; i < MAX_SERVER_ERROR_ATTEMPTS; i++) {
      expect(box.items()).toHaveLength(1);
      clock.fire();
      await box.flush();
    }
    expect(server.calls).toHaveLength(MAX_SERVER_ERROR_ATTEMPTS);
    expect(box.items()).toEqual([]);
    expect(box.failures()[0]!.problem.code).toBe('INTERNAL_ERROR');
  });

  it('survives a reload: a new outbox on the same storage sends what the last one could not', async () => {
    const storage = memoryStorage();
    const before = makeOutbox(fakeServer({ error: offline() }), storage);
    before.box.enqueue(event('stay'));
    await before.box.flush();
    expect(JSON.parse(storage.getItem(OUTBOX_KEY)!)).toHaveLength(1);

    const server = fakeServer({ data: 'ok' });
    const after = makeOutbox(server, storage);
    await after.box.flush();
    expect(server.calls.map((c) => (c.body as { id: string }).id)).toEqual(['e-stay']);
    expect(after.box.items()).toEqual([]);
  });

  it('a write queued while another is being sent waits its turn (one at a time, in order)', async () => {
    const server = fakeServer({ data: 1 }, { data: 2 }, { data: 3 });
    const { box } = makeOutbox(server);
    box.enqueue(event('a'));
    box.enqueue(event('b'));
    box.enqueue(event('c'));
    await box.flush();
    expect(server.calls.map((c) => (c.body as { id: string }).id)).toEqual(['e-a', 'e-b', 'e-c']);
    expect(server.maxInFlight).toBe(1);
  });

  it('unreadable storage is treated as an empty queue, not a crash', () => {
    const storage = memoryStorage();
    storage.setItem(OUTBOX_KEY, '{not json');
    const { box } = makeOutbox(fakeServer(), storage);
    expect(box.items()).toEqual([]);
  });
});

describe('judging a failed send', () => {
  it.each([
    ['no connection (fetch TypeError)', offline(), 1, true],
    ['status 0', problem(0), 1, true],
    ['408 timeout', problem(408), 1, true],
    ['429 too many', problem(429), 1, true],
    ['502', problem(502), 1, true],
    ['503', problem(503), 1, true],
    ['504', problem(504), 1, true],
    ['401 session expired', problem(401, 'SESSION_EXPIRED'), 1, true],
    ['401 not signed in', problem(401, 'NOT_SIGNED_IN'), 1, true],
    ['403 CSRF token', problem(403, 'CSRF_TOKEN_INVALID'), 1, true],
    ['500 the first time', problem(500), 1, true],
    ['500 at the limit', problem(500), MAX_SERVER_ERROR_ATTEMPTS, false],
    ['400 validation', problem(400, 'VALIDATION_FAILED'), 1, false],
    ['403 forbidden', problem(403, 'FORBIDDEN'), 1, false],
    ['404 not found', problem(404, 'NOT_FOUND'), 1, false],
    ['409 step already done', problem(409, 'STEP_ALREADY_DONE'), 1, false],
    ['422 out of range', problem(422, 'ANSWER_OUT_OF_RANGE'), 1, false],
  ] as const)('%s → retry: %s', (_name, err, attempts, retry) => {
    expect(judgeFailure(err, attempts).retry).toBe(retry);
  });
});
