/**
 * The virtual users of bench/users.ts, run in a worker_threads Worker so that the load
 * generator has its own event loop and is not queued behind the server it measures (the
 * server runs in the main thread of `npm run bench`).
 *
 * Plain JavaScript on purpose: the tsx loader that `npm run bench` runs under is not
 * inherited by worker threads on Node 20, and this file needs nothing from the app.
 *
 * Each user: wait a random 0–thinkMax ms (so the users do not start in step), then loop:
 * send the request, read the whole response body, think for a uniform random
 * thinkMin–thinkMax ms, repeat. Requests that START inside the measured window
 * [warm-up end, warm-up end + seconds) are recorded, including the ones still in flight
 * when the window closes, which are waited for. Built-in fetch (undici) keeps its
 * connections alive and reuses them.
 *
 * workerData: { origin, paths, headers, users, thinkMinMs, thinkMaxMs, warmupSeconds, seconds, timeoutMs }
 * Posts back: { latenciesMs (2xx only, unsorted), statusCodes, ok, non2xx, errors,
 *               errorMessages, warmupRequests, connectionsOpened, windowSeconds }
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';

const { origin, paths, headers, users, thinkMinMs, thinkMaxMs, warmupSeconds, seconds, timeoutMs } = workerData;

// New TCP connections undici opens (to show that keep-alive reuses them).
let connectionsOpened = 0;
diagnosticsChannel.subscribe('undici:client:connected', () => { connectionsOpened++; });

const latenciesMs = [];
const statusCodes = {};
const errorMessages = new Map();
let ok = 0;
let non2xx = 0;
let errors = 0;
let warmupRequests = 0;

const started = performance.now();
const measureFrom = started + warmupSeconds * 1000;
const measureUntil = measureFrom + seconds * 1000;
const think = () => thinkMinMs + Math.random() * (thinkMaxMs - thinkMinMs);

async function user(index) {
  let next = index % paths.length; // users start at different places in the rotation
  await sleep(Math.random() * thinkMaxMs);
  for (;;) {
    const t0 = performance.now();
    if (t0 >= measureUntil) return;
    const measured = t0 >= measureFrom;
    const path = paths[next];
    next = (next + 1) % paths.length;
    try {
      const res = await fetch(origin + path, { headers, signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer(); // the whole answer, and frees the connection for reuse
      const ms = performance.now() - t0;
      if (measured) {
        statusCodes[res.status] = (statusCodes[res.status] ?? 0) + 1;
        if (res.status >= 200 && res.status < 300) {
          ok++;
          latenciesMs.push(ms);
        } else {
          non2xx++;
        }
      } else {
        warmupRequests++;
      }
    } catch (err) {
      if (measured) {
        errors++;
        const message = err instanceof Error ? `${err.name}: ${err.cause?.message ?? err.message}` : String(err);
        errorMessages.set(message, (errorMessages.get(message) ?? 0) + 1);
      } else {
        warmupRequests++;
      }
    }
    if (performance.now() >= measureUntil) return; // no point thinking after the window
    await sleep(think());
  }
}

await Promise.all(Array.from({ length: users }, (_, i) => user(i)));
parentPort.postMessage({
  latenciesMs,
  statusCodes,
  ok,
  non2xx,
  errors,
  errorMessages: Object.fromEntries(errorMessages),
  warmupRequests,
  connectionsOpened,
  windowSeconds: (measureUntil - measureFrom) / 1000,
});
