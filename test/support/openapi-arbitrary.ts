import fc from 'fast-check';

/**
 * fast-check arbitraries built from the app's OpenAPI 3.0 document (GET /api/openapi.json):
 * values that conform to a route's schemas, so requests get past validation into the
 * handlers, and near-misses (exactly one thing wrong). No maintained library does this for
 * fast-check 4 (json-schema-fast-check targets fast-check 1; zod-fast-check zod 3 and
 * fast-check < 4), so this covers the subset zod's JSON Schema output uses.
 */
export interface JsonSchema {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
  enum?: unknown[];
  format?: string;
  pattern?: string;
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  default?: unknown;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export interface Parameter { name: string; in: 'path' | 'query'; required: boolean; schema: JsonSchema }
export interface Operation { method: Method; path: string; params: Parameter[]; query: Parameter[]; body?: JsonSchema }
interface OpenApi { paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>> }

/** Every operation of the document, with its path and query parameters and JSON body schema. */
export function operations(spec: unknown): Operation[] {
  return Object.entries((spec as OpenApi).paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({
    method: method.toUpperCase() as Method,
    path,
    params: (op.parameters ?? []).filter((p) => p.in === 'path'),
    query: (op.parameters ?? []).filter((p) => p.in === 'query'),
    body: op.requestBody?.content['application/json']?.schema,
  })));
}

/**
 * Values to use for a scalar property or parameter of this name (or an array's items) instead
 * of its schema's, e.g. real ids of the world; `fromSchema` is what the schema alone would give.
 */
export type Hints = (name: string, fromSchema: fc.Arbitrary<unknown>) => fc.Arbitrary<unknown> | undefined;
const noHints: Hints = () => undefined;

/** Text an attacker would try: markup, SQL, control characters, far-away code points. */
const HOSTILE = ['<script>window.__pwned=1</script>', "'; drop table clients; --", 'a\u0007b\u001b[2J', '\u202e\u200b', '😀'.repeat(3), '${7*7}{{7*7}}', '../../etc/passwd', ' ', '\r\n', 'a\u0000b'];

/**
 * Text of a length the schema allows, hostile strings included. U+0000 among them: PostgreSQL
 * refuses it in text, so the app refuses it up front as VALIDATION_FAILED (it answered 500
 * on most text fields until this fuzzing found it).
 */
function text(min: number, max: number): fc.Arbitrary<string> {
  // Astral characters count twice against zod's (UTF-16) lengths: generate at most half as many.
  const units = Math.max(min, Math.min(40, Math.floor(max / 2)));
  return fc.oneof(
    { arbitrary: fc.string({ minLength: min, maxLength: units, unit: 'binary' }), weight: 3 },
    { arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, 60), unit: 'grapheme-ascii' }), weight: 3 },
    { arbitrary: fc.constantFrom(...HOSTILE), weight: 2 },
    { arbitrary: fc.constant('x'.repeat(max)), weight: 1 },
  ).filter((s) => s.length >= min && s.length <= max);
}

function matching(pattern: string, min = 0, max = Infinity): fc.Arbitrary<string> {
  return fc.stringMatching(new RegExp(pattern)).filter((s) => s.length >= min && s.length <= max);
}

const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T23:59:59Z'), noInvalidDate: true });

function stringOf(s: JsonSchema): fc.Arbitrary<string> {
  const [min, max] = [s.minLength ?? 0, s.maxLength ?? 200];
  switch (s.format) {
    case 'uuid': return fc.uuid();
    case 'date-time': return instant.map((d) => d.toISOString());
    case 'date': return instant.map((d) => d.toISOString().slice(0, 10));
    case 'email': return matching('^[a-z0-9._+-]{1,20}@[a-z0-9-]{1,12}\\.example\\.test$', min, max);
    case 'uri': return fc.webUrl().filter((u) => u.length <= max);
  }
  return s.pattern ? matching(s.pattern, min, max) : text(min, max);
}

function numberOf(s: JsonSchema): fc.Arbitrary<number> {
  const lowOpen = s.exclusiveMinimum === true || typeof s.exclusiveMinimum === 'number';
  const highOpen = s.exclusiveMaximum === true || typeof s.exclusiveMaximum === 'number';
  const low = typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : s.minimum;
  const high = typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum : s.maximum;
  if (s.type === 'integer') {
    return fc.integer({ min: low === undefined ? -1e6 : lowOpen ? low + 1 : low, max: high === undefined ? 1e6 : Math.min(high, Number.MAX_SAFE_INTEGER) - (highOpen ? 1 : 0) });
  }
  return fc.double({ min: low ?? -1e6, max: high ?? 1e6, minExcluded: lowOpen, maxExcluded: highOpen, noNaN: true, noDefaultInfinity: true });
}

/** Values that conform to the schema. */
export function conforming(s: JsonSchema, hints: Hints = noHints, name = ''): fc.Arbitrary<unknown> {
  const fromSchema = plain(s, hints, name);
  const scalar = s.type !== 'array' && s.type !== 'object';
  const arb = (name && scalar ? hints(name, fromSchema) : undefined) ?? fromSchema;
  return s.nullable ? fc.option(arb, { nil: null, freq: 5 }) : arb;
}

function plain(s: JsonSchema, hints: Hints, name: string): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.oneOf || s.anyOf) return fc.oneof(...(s.oneOf ?? s.anyOf)!.map((b) => conforming(b, hints, name)));
  switch (s.type) {
    case 'string': return stringOf(s);
    case 'integer': case 'number': return numberOf(s);
    case 'boolean': return fc.boolean();
    case 'array': return fc.array(conforming(s.items ?? {}, hints, name), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 4, 4) });
    case 'object': return objectOf(s, hints);
  }
  return fc.jsonValue(); // no constraint
}

function objectOf(s: JsonSchema, hints: Hints): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(s.properties ?? {});
  const record = fc.record(Object.fromEntries(props.map(([k, v]) => [k, conforming(v, hints, k)])), { requiredKeys: s.required ?? [] });
  if (typeof s.additionalProperties !== 'object') return record;
  const extra = fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !(k in (s.properties ?? {}))), conforming(s.additionalProperties, hints), { maxKeys: 3 });
  return fc.tuple(record, extra).map(([r, e]) => ({ ...e, ...r }));
}

/** JSON types a schema accepts, to pick a wrong one. */
function acceptedTypes(s: JsonSchema): Set<string> {
  if (s.oneOf || s.anyOf) return new Set((s.oneOf ?? s.anyOf)!.flatMap((b) => [...acceptedTypes(b)]).concat(s.nullable ? ['null'] : []));
  const types = new Set<string>(s.enum ? s.enum.map((v) => (v === null ? 'null' : typeof v)) : s.type === 'integer' ? ['number'] : s.type ? [s.type] : ['string', 'number', 'boolean', 'object', 'array', 'null']);
  if (s.nullable) types.add('null');
  return types;
}

/**
 * Values the schema refuses, each wrong in one way: another type, out of range, too long or
 * short, not one of the enum, not matching the format, a required property missing, an
 * unknown property, or one property (recursively) wrong. `undefined` when no value can be
 * wrong (a schema that takes anything).
 */
export function nearMiss(s: JsonSchema, hints: Hints = noHints): fc.Arbitrary<unknown> | undefined {
  const accepted = acceptedTypes(s);
  const wrongType = (['string', 'number', 'boolean', 'object', 'array', 'null'] as const).filter((t) => !accepted.has(t))
    .map((t) => ({ string: 'wrong', number: 7, boolean: true, object: { wrong: 1 }, array: ['wrong'], null: null }[t]));
  const options: fc.Arbitrary<unknown>[] = wrongType.length ? [fc.constantFrom(...wrongType)] : [];
  if (s.enum) options.push(fc.constant(typeof s.enum[0] === 'number' ? -987654 : 'not-one-of-the-choices'));
  else if (s.type === 'string') {
    if (s.maxLength !== undefined) options.push(fc.constant('x'.repeat(s.maxLength + 1)));
    if (s.minLength) options.push(fc.constant(''));
    if (s.format || s.pattern) options.push(fc.constant('not valid!'));
  } else if (s.type === 'integer' || s.type === 'number') {
    if (s.type === 'integer') options.push(fc.constant(1.5 + (s.minimum ?? 0)));
    if (s.minimum !== undefined) options.push(fc.constant(s.minimum - (s.exclusiveMinimum === true ? 0 : 1)));
    if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) options.push(fc.constant(s.maximum + (s.exclusiveMaximum === true ? 0 : 1)));
  } else if (s.type === 'array') {
    const item = conforming(s.items ?? {}, hints);
    if (s.maxItems !== undefined && s.maxItems < 200) options.push(fc.array(item, { minLength: s.maxItems + 1, maxLength: s.maxItems + 1 }));
    if (s.minItems) options.push(fc.constant([]));
    const badItem = s.items && nearMiss(s.items, hints);
    if (badItem && (s.maxItems ?? 1) >= 1) options.push(badItem.map((v) => [v]));
  } else if (s.type === 'object' && s.properties) {
    // A nullable object conforms as null too; a near-miss of its fields needs the object.
    const base = (conforming(s, hints) as fc.Arbitrary<Record<string, unknown> | null>)
      .filter((o): o is Record<string, unknown> => o !== null && typeof o === 'object' && !Array.isArray(o));
    for (const key of s.required ?? []) options.push(base.map(({ [key]: _dropped, ...rest }) => rest));
    if (s.additionalProperties === false) options.push(base.map((o) => ({ ...o, notInTheSchema: 'surprise' })));
    for (const [key, prop] of Object.entries(s.properties)) {
      const bad = nearMiss(prop, hints);
      if (bad) options.push(fc.tuple(base, bad).map(([o, v]) => ({ ...o, [key]: v })));
    }
  }
  return options.length ? fc.oneof(...options) : undefined;
}

/**
 * Values for fields whose rules a JSON Schema cannot carry (a phone number must be a real
 * one, checked with libphonenumber; a time zone one of IANA's): real-looking values, so the request reaches the handler.
 */
export const realistic: Hints = (name) => /phone|number$|crisisLine|forwardTo/i.test(name) ? fc.constantFrom('+15105550123', '+442079460958', '+14155550123')
  : name === 'timeZone' ? fc.constantFrom('America/Los_Angeles', 'Europe/Berlin', 'UTC') : undefined;

/** A path with its parameters filled from the arbitraries (URL-encoded). */
export function pathWith(op: Operation, hints: Hints): fc.Arbitrary<string> {
  const values = fc.tuple(...op.params.map((p) => conforming(p.schema, hints, p.name)));
  return values.map((vs) => op.params.reduce((path, p, i) => path.replace(`{${p.name}}`, encodeURIComponent(String(vs[i]))), op.path));
}

/** A query string (with its leading `?`, or empty) from parameters' values. */
export function queryString(values: Record<string, unknown>): string {
  const q = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, String(v)])).toString();
  return q ? `?${q}` : '';
}

/** The query parameters as one object schema, to generate conforming values. */
export function querySchema(op: Operation): JsonSchema {
  return { type: 'object', properties: Object.fromEntries(op.query.map((p) => [p.name, p.schema])), required: op.query.filter((p) => p.required).map((p) => p.name) };
}

/** Query values with one parameter wrong; a query carries text only, so each wrong value is text. */
export function nearMissQuery(op: Operation, hints: Hints = noHints): fc.Arbitrary<Record<string, unknown>> | undefined {
  const base = conforming(querySchema(op), hints) as fc.Arbitrary<Record<string, unknown>>;
  const options = op.query.flatMap((p) => {
    const s = p.schema;
    const wrong = s.enum ? ['not-one-of-the-choices']
      : s.type === 'integer' || s.type === 'number' ? ['not a number', ...(s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? [String(s.maximum + 1)] : []), ...(s.minimum !== undefined ? [String(s.minimum - 1)] : [])]
      : s.type === 'string' ? [...(s.format || s.pattern ? ['not valid!'] : []), ...(s.maxLength !== undefined ? ['x'.repeat(s.maxLength + 1)] : [])]
      : [];
    return wrong.length ? [fc.tuple(base, fc.constantFrom(...wrong)).map(([o, v]) => ({ ...o, [p.name]: v }))] : [];
  });
  return options.length ? fc.oneof(...options) : undefined;
}
