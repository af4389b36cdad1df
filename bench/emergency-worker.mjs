/**
 * The load generator of bench/emergency.bench.ts, run in a worker_threads Worker so it
 * has its own event loop and is not queued behind the server it measures (the server
 * runs in the main thread of `npm run bench`). Plain JavaScript for the same reason as
 * users-worker.mjs: worker threads do not inherit the tsx loader on Node 20.
 *
 * Two modes (workerData.mode):
 *
 * 'press' — the emergency button under saturation. One virtual clinician per connection
 *   (node:http, an Agent of one keep-alive socket each, like one browser tab), each with
 *   their own session cookie and CSRF token, each pressing the button again the moment
 *   the previous answer arrives, with a fresh body every time (new incident and run ids,
 *   the next of their own clients). Requests that START in the measured window
 *   [warm-up end, warm-up end + seconds) are measured, including those still in flight
 *   when the window closes, which are waited for. Every incident id is reported back by
 *   outcome (201, other status, no answer) so the caller can check the database.
 *
 * 'burst' — all the clinicians press at the same instant (one press each), the server
 *   answers them all, a pause, and again, for a number of rounds. Latency is from the
 *   moment a press is sent (all within the same tick) to its answer. The first rounds
 *   warm up and are not measured.
 *
 * 'live' — a page reaching a browser. Opens one Server-Sent Event stream per
 *   supervisor (GET /api/live with fetch and a stream reader, as a browser's EventSource
 *   would), waits until every stream said `ready`, then presses the button at a steady
 *   rate (open loop: a press is sent at its scheduled time whatever happened to the
 *   earlier ones). For each `page` event that arrives, latency = arrival − the moment its
 *   POST was sent, both taken with performance.now() in this thread.
 */
import fs from 'node:fs';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';

const origin = new URL(workerData.origin);

// This thread's id, so the caller can count its CPU apart from the server's (Linux only).
let tid = null;
try {
  tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
} catch {
  // not Linux
}
parentPort.postMessage({ type: 'tid', tid });

/** Tells the caller when the measured window opens and closes (it takes CPU snapshots then). */
function announceWindow(fromPerf, untilPerf) {
  setTimeout(() => parentPort.postMessage({ type: 'window', edge: 'start' }), Math.max(0, fromPerf - performance.now()));
  setTimeout(() => parentPort.postMessage({ type: 'window', edge: 'end' }), Math.max(0, untilPerf - performance.now()));
}

/** One POST /api/incidents over `agent`: resolves with the status and the body text. */
function press(agent, person, protocolKey, clientId, id, timeoutMs) {
  const body = JSON.stringify({ id, runId: randomUUID(), clientId, protocolKey });
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: origin.hostname,
      port: origin.port,
      method: 'POST',
      path: '/api/incidents',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        cookie: person.cookie,
        'x-csrf-token': person.csrf,
      },
      timeout: timeoutMs,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.on('socket', (socket) => countSocket(socket));
    req.end(body);
  });
}

const sockets = new WeakSet();
let socketsOpened = 0;
function countSocket(socket) {
  if (!sockets.has(socket)) {
    sockets.add(socket);
    socketsOpened++;
  }
}

const describeError = (err) => (err instanceof Error ? `${err.name}: ${err.cause?.message ?? err.message}` : String(err));

function bump(map, key) {
  map[key] = (map[key] ?? 0) + 1;
}

// --- 'press' ------------------------------------------------------------------------------

async function runPress() {
  const { clinicians, protocolKey, warmupSeconds, seconds, timeoutMs } = workerData;
  const latenciesMs = [];
  const statusCodes = {};
  const errorMessages = {};
  const samples = []; // a few non-2xx answers, to say why
  const created = []; // incident ids answered 201 (warm-up included): the acknowledged presses
  const refused = []; // incident ids answered with anything else
  const unanswered = []; // incident ids sent without an answer (their fate is unknown)
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let warmupRequests = 0;

  const started = performance.now();
  const measureFrom = started + warmupSeconds * 1000;
  const measureUntil = measureFrom + seconds * 1000;
  announceWindow(measureFrom, measureUntil);

  async function clinician(person, index) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let next = index % person.clientIds.length;
    try {
      for (;;) {
        const t0 = performance.now();
        if (t0 >= measureUntil) return;
        const measured = t0 >= measureFrom;
        const id = randomUUID();
        const clientId = person.clientIds[next];
        next = (next + 1) % person.clientIds.length;
        try {
          const res = await press(agent, person, protocolKey, clientId, id, timeoutMs);
          const ms = performance.now() - t0;
          if (res.status === 201) created.push(id);
          else refused.push(id);
          if (measured) {
            bump(statusCodes, res.status);
            if (res.status >= 200 && res.status < 300) {
              ok++;
              latenciesMs.push(ms);
            } else {
              non2xx++;
              if (samples.length < 5) samples.push(`${res.status}: ${res.text.slice(0, 300)}`);
            }
          } else {
            warmupRequests++;
          }
        } catch (err) {
          unanswered.push(id);
          if (measured) {
            errors++;
            bump(errorMessages, describeError(err));
          } else {
            warmupRequests++;
          }
        }
      }
    } finally {
      agent.destroy();
    }
  }

  await Promise.all(clinicians.map((person, i) => clinician(person, i)));
  return {
    latenciesMs, statusCodes, ok, non2xx, errors, errorMessages, samples, warmupRequests, socketsOpened,
    windowSeconds: (measureUntil - measureFrom) / 1000,
    created, refused, unanswered,
  };
}

// --- 'burst' -----------------------------------------------------------------------------

async function runBurst() {
  const { clinicians, protocolKey, rounds, warmupRounds, pauseMs, timeoutMs } = workerData;
  const agents = clinicians.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  const cursors = clinicians.map((_, i) => i);
  const latenciesMs = [];
  const statusCodes = {};
  const errorMessages = {};
  const samples = [];
  const created = [];
  const refused = [];
  const unanswered = [];
  const roundMs = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let warmupRequests = 0;
  let measuredMs = 0;
  for (let round = 0; round < warmupRounds + rounds; round++) {
    const measured = round >= warmupRounds;
    if (round === warmupRounds) parentPort.postMessage({ type: 'window', edge: 'start' });
    const roundStart = performance.now();
    await Promise.all(clinicians.map(async (person, i) => {
      const clientId = person.clientIds[cursors[i] % person.clientIds.length];
      cursors[i]++;
      const id = randomUUID();
      const t0 = performance.now();
      try {
        const res = await press(agents[i], person, protocolKey, clientId, id, timeoutMs);
        const ms = performance.now() - t0;
        if (res.status === 201) created.push(id);
        else refused.push(id);
        if (!measured) {
          warmupRequests++;
          return;
        }
        bump(statusCodes, res.status);
        if (res.status >= 200 && res.status < 300) {
          ok++;
          latenciesMs.push(ms);
        } else {
          non2xx++;
          if (samples.length < 5) samples.push(`${res.status}: ${res.text.slice(0, 300)}`);
        }
      } catch (err) {
        unanswered.push(id);
        if (!measured) return;
        errors++;
        bump(errorMessages, describeError(err));
      }
    }));
    const took = performance.now() - roundStart;
    if (measured) {
      measuredMs += took;
      roundMs.push(took);
    }
    if (round === warmupRounds + rounds - 1) parentPort.postMessage({ type: 'window', edge: 'end' });
    await sleep(pauseMs);
  }
  for (const a of agents) a.destroy();
  return {
    latenciesMs, statusCodes, ok, non2xx, errors, errorMessages, samples, warmupRequests, socketsOpened,
    windowSeconds: measuredMs / 1000, roundMs, created, refused, unanswered,
  };
}

// --- 'live' -------------------------------------------------------------------------------

/**
 * A supervisor's GET /api/live, parsed as Server-Sent Events; `onEvent(type, data, atPerf, atWall)`.
 * Resolves once the stream is open, with `{ done }`: the reading loop (a bare promise would be adopted and awaited).
 */
async function openStream(stream, onEvent, signal) {
  const res = await fetch(new URL('/api/live', origin), {
    headers: { accept: 'text/event-stream', cookie: stream.cookie },
    signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`GET /api/live answered ${res.status}: ${await res.text()}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const done = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        // Every event in this chunk arrived now.
        const atPerf = performance.now();
        const atWall = Date.now();
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let type = 'message';
          const data = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) type = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length) onEvent(type, JSON.parse(data.join('\n')), atPerf, atWall);
        }
      }
    } catch (err) {
      if (!signal.aborted) throw err;
    }
  })();
  return { done };
}

async function runLive() {
  const { streams, pressers, protocolKey, rate, warmupSeconds, seconds, settleMs, timeoutMs } = workerData;
  const controller = new AbortController();

  // incident id → { sentAt (perf), measured, expect: Set<stream index>, postMs, status }
  const presses = new Map();
  const deliveries = []; // { stream, incidentId, atPerf, atWall, createdAt }
  const otherEvents = {};
  let readyCount = 0;
  let resolveReady;
  const allReady = new Promise((resolve) => { resolveReady = resolve; });

  const readers = await Promise.all(streams.map((stream, index) => openStream(stream, (type, data, atPerf, atWall) => {
    if (type === 'ready') {
      if (++readyCount === streams.length) resolveReady();
    } else if (type === 'page') {
      deliveries.push({ stream: index, incidentId: data.incidentId, pageId: data.id, atPerf, atWall, createdAt: data.createdAt });
    } else {
      bump(otherEvents, type);
    }
  }, controller.signal)));
  const readyTimer = new AbortController();
  const readyTimeout = sleep(10_000, undefined, { signal: readyTimer.signal })
    .then(() => { throw new Error(`only ${readyCount} of ${streams.length} streams said ready within 10 s`); });
  readyTimeout.catch(() => {});
  await Promise.race([allReady, readyTimeout]);
  readyTimer.abort();

  const agents = pressers.map(() => new http.Agent({ keepAlive: true }));
  const cursors = pressers.map(() => 0);
  const statusCodes = {};
  const errorMessages = {};
  const samples = [];
  let errors = 0;
  let maxSendLagMs = 0;
  const inFlight = [];

  const started = performance.now();
  const measureFrom = started + warmupSeconds * 1000;
  announceWindow(measureFrom, measureFrom + seconds * 1000);
  const total = Math.round((warmupSeconds + seconds) * rate);
  for (let k = 0; k < total; k++) {
    const due = started + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const p = k % pressers.length;
    const person = pressers[p];
    const clientId = person.clientIds[cursors[p]];
    cursors[p] = (cursors[p] + 1) % person.clientIds.length;
    const id = randomUUID();
    const sentAt = performance.now();
    maxSendLagMs = Math.max(maxSendLagMs, sentAt - due);
    const entry = { sentAt, measured: due >= measureFrom, expect: person.streams, postMs: null, answeredAt: null, status: null };
    presses.set(id, entry);
    inFlight.push(press(agents[p], person, protocolKey, clientId, id, timeoutMs).then((res) => {
      entry.answeredAt = performance.now();
      entry.postMs = entry.answeredAt - sentAt;
      entry.status = res.status;
      bump(statusCodes, res.status);
      if (res.status !== 201 && samples.length < 5) samples.push(`${res.status}: ${res.text.slice(0, 300)}`);
    }, (err) => {
      errors++;
      bump(errorMessages, describeError(err));
    }));
  }
  await Promise.all(inFlight);
  await sleep(settleMs); // pages still on their way
  controller.abort();
  await Promise.allSettled(readers.map((r) => r.done));
  for (const a of agents) a.destroy();

  // Reduce in this thread: only plain numbers go back.
  const pageLatenciesMs = [];
  const serverToBrowserMs = [];
  const postLatenciesMs = [];
  const afterAnswerMs = []; // page arrival − the POST's answer arriving (negative: the page came first)
  let expected = 0;
  let delivered = 0;
  let unexpected = 0;
  let duplicates = 0;
  const seen = new Set();
  for (const d of deliveries) {
    const p = presses.get(d.incidentId);
    if (!p || !p.expect.includes(d.stream)) {
      unexpected++;
      continue;
    }
    const key = `${d.incidentId}:${d.stream}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    if (!p.measured) continue;
    delivered++;
    pageLatenciesMs.push(d.atPerf - p.sentAt);
    serverToBrowserMs.push(d.atWall - Date.parse(d.createdAt));
    if (p.answeredAt !== null) afterAnswerMs.push(d.atPerf - p.answeredAt);
  }
  let measuredPresses = 0;
  let created = 0;
  for (const p of presses.values()) {
    if (!p.measured) continue;
    measuredPresses++;
    if (p.status === 201) {
      created++;
      expected += p.expect.length;
      postLatenciesMs.push(p.postMs);
    }
  }
  return {
    pageLatenciesMs, serverToBrowserMs, postLatenciesMs, afterAnswerMs,
    measuredPresses, created, expected, delivered, unexpected, duplicates,
    statusCodes, errors, errorMessages, samples, otherEvents, maxSendLagMs,
    streams: streams.length, totalPresses: presses.size, socketsOpened,
    windowSeconds: seconds,
  };
}

const run = { press: runPress, burst: runBurst, live: runLive }[workerData.mode];
if (!run) throw new Error(`unknown mode ${workerData.mode}`);
const result = await run();
parentPort.postMessage({ type: 'result', result });
