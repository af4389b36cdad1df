/**
 * Targets a benchmark must meet. Issue 1 sets none numerically: its benchmarks only
 * report. Later issues add rows here, e.g. `{ metric: 'p99Ms', op: '<', value: 50 }`.
 */
export type Metric = 'requestsPerSecond' | 'p50Ms' | 'p99Ms' | 'ratioToInsertRate';
export type Op = '<' | '<=' | '>' | '>=';

export interface Target {
  metric: Metric;
  op: Op;
  value: number;
  /** Where the target comes from, e.g. "issue 7". */
  source?: string;
}

/** Benchmark id → its targets (all must hold). Absent or empty: report only. */
export const targets: Record<string, Target[]> = {
  'baseline.pg-insert': [],
  'baseline.bare-fastify': [],
  'auth.sign-in': [],
  'audit.browse': [],
  'auth.me': [],
};

const METRIC_LABEL: Record<Metric, string> = {
  requestsPerSecond: 'req/s',
  p50Ms: 'p50',
  p99Ms: 'p99',
  ratioToInsertRate: 'ratio',
};

export function describeTarget(t: Target): string {
  const unit = t.metric === 'p50Ms' || t.metric === 'p99Ms' ? ' ms' : '';
  return `${METRIC_LABEL[t.metric]} ${t.op} ${t.value}${unit}`;
}

export interface TargetVerdict {
  target: Target;
  actual: number | null;
  met: boolean;
}

export function checkTarget(t: Target, figures: Record<Metric, number | null>): TargetVerdict {
  const actual = figures[t.metric];
  if (actual === null || !Number.isFinite(actual)) return { target: t, actual, met: false };
  const met =
    t.op === '<' ? actual < t.value :
    t.op === '<=' ? actual <= t.value :
    t.op === '>' ? actual > t.value :
    actual >= t.value;
  return { target: t, actual, met };
}
