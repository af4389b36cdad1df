import { describe, expect, it } from 'vitest';
import { LiveHub, MAX_PAYLOAD, notifyPayloads, type LiveMessage } from './live.ts';

const userIds = (n: number) => Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

describe('live messages as NOTIFY payloads', () => {
  it('sends a message that fits as it is', () => {
    const message: LiveMessage = { type: 'page', practiceId: 'p', userIds: userIds(3), data: { id: 'x', incidentId: 'i', where: 'Room 2' } };
    expect(notifyPayloads(message)).toEqual([JSON.stringify(message)]);
  });

  it('splits a message for many people into several that each fit, reaching every one of them once, with the data whole', () => {
    const message: LiveMessage = { type: 'incident.updated', practiceId: 'p', userIds: userIds(600), data: { incidentId: 'i' } };
    const payloads = notifyPayloads(message);
    expect(payloads.length).toBeGreaterThan(1);
    const parsed = payloads.map((p) => JSON.parse(p) as LiveMessage);
    expect(payloads.every((p) => Buffer.byteLength(p) <= MAX_PAYLOAD)).toBe(true);
    expect(parsed.flatMap((p) => p.userIds)).toEqual(message.userIds);
    expect(parsed.every((p) => p.type === 'incident.updated' && p.data.incidentId === 'i')).toBe(true);
  });

  it('cuts an oversized message for one person down to its ids (counting bytes, not characters)', () => {
    const message: LiveMessage = { type: 'page', practiceId: 'p', userIds: userIds(1), data: { id: 'x', incidentId: 'i', status: 'open', reason: 'é'.repeat(5000) } };
    expect(JSON.stringify(message).length).toBeLessThan(MAX_PAYLOAD); // fits by characters, not by bytes
    expect(notifyPayloads(message).map((p) => JSON.parse(p))).toEqual([{ ...message, data: { id: 'x', incidentId: 'i', status: 'open' } }]);
  });
});

describe('delivery to the streams of this instance', () => {
  it('reaches only the people addressed, once each, even when another stream fails', () => {
    const hub = new LiveHub('postgres://unused');
    const got: string[] = [];
    hub.subscribe('p', 'a', () => { throw new Error('a broken stream'); });
    hub.subscribe('p', 'a', (m) => got.push(`a:${m.type}`));
    hub.subscribe('p', 'b', (m) => got.push(`b:${m.type}`));
    const stop = hub.subscribe('other-practice', 'a', (m) => got.push(`other:${m.type}`));
    hub.deliver({ type: 'page', practiceId: 'p', userIds: ['a', 'a', 'c'], data: {} });
    expect(got).toEqual(['a:page']);
    stop();
    expect(hub.subscriberCount).toBe(3);
  });
});
