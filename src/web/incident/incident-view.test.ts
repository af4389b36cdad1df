import { describe, expect, it } from 'vitest';
import { builtInProtocol } from '../../domain/protocols/catalog.ts';
import type { RunAction } from '../../domain/protocols/run.ts';
import { LEGAL_BASIS } from '../../domain/duty-to-protect.ts';
import type { OutboxItem } from '../offline/outbox-queue.ts';
import { withAnswer } from './cssrs-answers.ts';
import type { DisclosureInput, IncidentDetail, OpenIncidentBody, RunEventBody, RunEventResult } from './incident-types.ts';
import { incidentIdOf, incidentView, provisionalIncident, queuedFor, refusalOf, withEventResult } from './incident-view.ts';

const walkout = builtInProtocol('client-walks-out')!;
const threat = builtInProtocol('threat-to-others')!;
const me = { id: 'user-lin', name: 'Dr. Mei Lin' };
const T0 = '2026-03-02T10:00:00.000Z';
const at = (min: number) => new Date(Date.parse(T0) + min * 60_000).toISOString();

function opened(protocolKey = 'client-walks-out', id = 'incident-1'): OpenIncidentBody {
  return { id, runId: `${id}-run`, clientId: 'client-jordan', sessionId: 'session-1', protocolKey, discreet: false, occurredAt: T0 };
}

let seq = 0;
function queuedEvent(detail: IncidentDetail, action: RunAction, min: number, disclosure?: DisclosureInput): OutboxItem {
  const body: RunEventBody = { id: `event-${++seq}`, occurredAt: at(min), action, ...(disclosure ? { disclosure } : {}) };
  return { id: `item-${seq}`, method: 'POST', path: `/api/incidents/${detail.id}/runs/${detail.runs[0]!.id}/events`, body, createdAt: at(min) };
}

describe('the incident as this browser shows it', () => {
  it('opened offline: one run just started, shown at once without the server', () => {
    const detail = provisionalIncident(opened(), walkout, me);
    expect(detail.status).toBe('open');
    expect(detail.runs).toHaveLength(1);
    expect(detail.runs[0]!.state.steps['danger-signs']!.status).toBe('pending');
    expect(detail.timeline.map((t) => t.what)).toEqual(['Started protocol: Client walks out (v2)']);
    expect(detail.viewer.canAct).toBe(true);
  });

  it('First, what the clinician did offline is applied on top, in order, and marked as waiting', () => {
    const detail = provisionalIncident(opened(), walkout, me);
    const queued = [
      queuedEvent(detail, { type: 'answer', stepId: 'danger-signs', value: 'no' }, 1),
      queuedEvent(detail, { type: 'start_timer', stepId: 'wait' }, 2),
    ];
    const view = incidentView(detail, queued, me);
    const state = view.detail.runs[0]!.state;
    expect(state.steps['danger-signs']).toMatchObject({ status: 'done', value: 'no', actor: me.id, at: at(1) });
    expect(state.steps.wait).toMatchObject({ status: 'running', timer: { dueAt: at(12) } });
    expect(view.timeline.map((t) => [t.what, t.pending])).toEqual([
      ['Started protocol: Client walks out (v2)', false],
      [expect.stringMatching(/^Any sign the client is in danger.*: No$/), true],
      [expect.stringMatching(/^Timer started: Wait for the client to come back \(10 min/), true],
    ]);
    expect(view.queued).toBe(2);
    // The kept copy itself is never changed by showing it.
    expect(detail.runs[0]!.state.steps['danger-signs']!.status).toBe('pending');
  });

  it('the server wins: an event it has already applied is not applied twice', () => {
    const local = provisionalIncident(opened(), walkout, me);
    const answer = queuedEvent(local, { type: 'answer', stepId: 'danger-signs', value: 'no' }, 1);
    // The server's answer already contains the answer (sent, but the outbox has not heard back yet).
    const serverState = incidentView(local, [answer], me).detail.runs[0]!.state;
    const server: IncidentDetail = {
      ...local,
      client: { id: 'client-jordan', name: 'Jordan Reyes' },
      runs: [{ ...local.runs[0]!, state: serverState }],
      timeline: [
        { seq: 1, at: T0, actor: me, runId: local.runs[0]!.id, stepId: null, kind: 'protocol', what: 'Started protocol: Client walks out (v1)' },
        { seq: 2, at: at(1), actor: me, runId: local.runs[0]!.id, stepId: 'danger-signs', kind: 'protocol', what: 'Any sign…: No' },
      ],
    };
    const view = incidentView(server, [answer], me);
    expect(view.timeline.filter((t) => t.stepId === 'danger-signs')).toEqual([expect.objectContaining({ pending: false })]);
    expect(view.detail.client.name).toBe('Jordan Reyes');
  });

  it("another incident's writes are not mixed in; notes and requests for help show as waiting", () => {
    const mine = provisionalIncident(opened(), walkout, me);
    const other = provisionalIncident(opened('client-walks-out', 'incident-2'), walkout, me);
    const items: OutboxItem[] = [
      { id: 'open-1', method: 'POST', path: '/api/incidents', body: opened(), createdAt: T0 },
      queuedEvent(other, { type: 'answer', stepId: 'danger-signs', value: 'yes' }, 1),
      { id: 'note-1', method: 'POST', path: '/api/incidents/incident-1/notes', body: { text: 'Client left by the front door' }, createdAt: at(2) },
      { id: 'help-1', method: 'POST', path: '/api/incidents/incident-1/pages', body: { reason: 'Please come to room 2' }, createdAt: at(3) },
    ];
    const queued = queuedFor(items, 'incident-1');
    expect(queued.map((i) => i.id)).toEqual(['open-1', 'note-1', 'help-1']);
    const view = incidentView(mine, queued, me);
    expect(view.detail.runs[0]!.state.steps['danger-signs']!.status).toBe('pending');
    expect(view.timeline.filter((t) => t.pending).map((t) => [t.kind, t.what])).toEqual([
      ['note', 'Note: Client left by the front door'],
      ['page', 'Asked for help: Please come to room 2'],
    ]);
  });

  it('a disclosure and a follow-up made offline are listed at once, with the legal basis and the due time', () => {
    const duty = provisionalIncident(opened('threat-to-others'), threat, me);
    const steps: [RunAction, number][] = [
      [{ type: 'document', stepId: 'exact-words', text: 'I will make Dave pay' }, 1],
      [{ type: 'answer', stepId: 'serious-threat', value: 'yes' }, 2],
      [{ type: 'answer', stepId: 'identifiable-victim', value: 'yes' }, 3],
      [{ type: 'answer', stepId: 'communicated-by', value: 'client' }, 4],
      [{ type: 'mark_done', stepId: 'wic-8105-report' }, 6],
    ];
    const items = steps.map(([a, min]) => queuedEvent(duty, a, min));
    items.push(queuedEvent(duty, { type: 'mark_done', stepId: 'warn-victim' }, 5, { recipientName: 'Dave (via employer)', whatWasSaid: 'A client made a threat against you.' }));
    const view = incidentView(duty, items, me);
    expect(view.detail.runs[0]!.state.steps.duty).toMatchObject({ status: 'done', value: 'applies' });
    expect(view.disclosures).toEqual([expect.objectContaining({
      recipientName: 'Dave (via employer)', recipientKind: 'victim', legalBasis: LEGAL_BASIS.victim, pending: true, stepId: 'warn-victim',
    })]);
    // WIC 8105(c): due 24 hours from the start of the run.
    expect(view.followUps).toEqual([expect.objectContaining({ kind: 'wic-8105-report', dueAt: '2026-03-03T10:00:00.000Z', pending: true })]);
  });

  it("an accepted event's answer is folded into the kept copy, without duplicating timeline lines", () => {
    const local = provisionalIncident(opened(), walkout, me);
    const after = incidentView(local, [queuedEvent(local, { type: 'answer', stepId: 'danger-signs', value: 'no' }, 1)], me).detail.runs[0]!;
    const line = { seq: 7, at: at(1), actor: me, runId: after.id, stepId: 'danger-signs', kind: 'protocol' as const, what: 'Any sign…: No' };
    const result: RunEventResult = { run: { id: after.id, status: 'open', state: after.state }, timeline: [line], replayed: false, openedRunId: null };
    const once = withEventResult(local, result);
    const twice = withEventResult(once, { ...result, replayed: true });
    expect(once.runs[0]!.state.steps['danger-signs']!.status).toBe('done');
    expect(twice.timeline.map((t) => t.seq)).toEqual([-1, 7]);
  });
});

describe('checking an action before it is queued (the same engine as the server)', () => {
  const body = (action: RunAction, disclosure?: DisclosureInput): RunEventBody => ({ id: 'e', occurredAt: at(1), action, ...(disclosure ? { disclosure } : {}) });

  it('accepts a valid step and refuses a step done twice, a skip without a reason and a disclosure without its content', () => {
    const walk = provisionalIncident(opened(), walkout, me).runs[0]!.state;
    expect(refusalOf(walk, body({ type: 'answer', stepId: 'danger-signs', value: 'no' }), me.id)).toBeNull();
    expect(refusalOf(walk, body({ type: 'skip', stepId: 'danger-signs', reason: '  ' }), me.id)).toMatchObject({ status: 422, code: 'SKIP_REASON_REQUIRED' });
    expect(refusalOf(walk, body({ type: 'answer', stepId: 'danger-signs', value: 'maybe' }), me.id)).toMatchObject({ status: 422, code: 'ANSWER_OUT_OF_RANGE' });
    expect(refusalOf(walk, body({ type: 'complete' }), me.id)).toMatchObject({ status: 409, code: 'REQUIRED_STEPS_OPEN' });

    const duty = provisionalIncident(opened('threat-to-others'), threat, me);
    const applies = incidentView(duty, [
      queuedEvent(duty, { type: 'answer', stepId: 'serious-threat', value: 'yes' }, 1),
      queuedEvent(duty, { type: 'answer', stepId: 'identifiable-victim', value: 'yes' }, 2),
      queuedEvent(duty, { type: 'answer', stepId: 'communicated-by', value: 'family_member' }, 3),
    ], me).detail.runs[0]!.state;
    expect(refusalOf(applies, body({ type: 'answer', stepId: 'serious-threat', value: 'no' }), me.id)).toMatchObject({ status: 409, code: 'STEP_ALREADY_DONE' });
    expect(refusalOf(applies, body({ type: 'mark_done', stepId: 'notify-police' }), me.id)).toMatchObject({ status: 422, code: 'DISCLOSURE_REQUIRED' });
    expect(refusalOf(applies, body({ type: 'mark_done', stepId: 'notify-police' }, { recipientName: 'County sheriff', whatWasSaid: 'Threat against a coworker' }), me.id)).toBeNull();
  });

  it('knows which incident an outbox item belongs to', () => {
    expect(incidentIdOf({ id: 'x', method: 'POST', path: '/api/incidents', body: opened(), createdAt: T0 })).toBe('incident-1');
    expect(incidentIdOf({ id: 'x', method: 'POST', path: '/api/incidents/incident-9/runs/r/events', createdAt: T0 })).toBe('incident-9');
    expect(incidentIdOf({ id: 'x', method: 'POST', path: '/api/sessions/s/end', createdAt: T0 })).toBeNull();
  });
});

describe('the C-SSRS form keeps only answers to items still asked', () => {
  it('turning item 2 to no drops items 3–5; turning 6 to no drops 6b', () => {
    let a = withAnswer({}, 'q1', true);
    a = withAnswer(a, 'q2', true);
    a = withAnswer(a, 'q3', true);
    a = withAnswer(a, 'q4', true);
    a = withAnswer(a, 'q6', true);
    a = withAnswer(a, 'q6b', false);
    expect(a).toEqual({ q1: true, q2: true, q3: true, q4: true, q6: true, q6b: false });
    a = withAnswer(a, 'q2', false);
    expect(a).toEqual({ q1: true, q2: false, q6: true, q6b: false });
    a = withAnswer(a, 'q6', false);
    expect(a).toEqual({ q1: true, q2: false, q6: false });
  });
});
