import { expect, request, type APIRequestContext } from '@playwright/test';
import twilio from 'twilio';

/**
 * Sets the stage for a journey through the API (people, clients, today's appointments),
 * so the browser test spends its steps on the journey itself. Everyone is invented.
 */
export interface Person { email: string; password: string }

export class StageHand {
  private constructor(private readonly ctx: APIRequestContext, private readonly csrf: string) {}

  static async signIn(baseURL: string, who: Person): Promise<StageHand> {
    const ctx = await request.newContext({ baseURL });
    const res = await ctx.post('/api/auth/sign-in', { data: { email: who.email, password: who.password } });
    expect(res.status(), await res.text()).toBe(200);
    return new StageHand(ctx, (await res.json()).csrfToken as string);
  }

  async get<T = any>(path: string): Promise<T> {
    const res = await this.ctx.get(path);
    expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
    return res.json() as Promise<T>;
  }

  async send<T = any>(method: 'POST' | 'PUT' | 'PATCH', path: string, data: unknown): Promise<T> {
    const res = await this.ctx.fetch(path, { method, data, headers: { 'x-csrf-token': this.csrf } });
    expect(res.status(), `${method} ${path}: ${await res.text()}`).toBeLessThan(300);
    return res.json() as Promise<T>;
  }

  /** A write whose outcome the caller checks (e.g. a booking that may overlap). */
  async attempt(method: 'POST' | 'PUT' | 'PATCH', path: string, data: unknown) {
    return this.ctx.fetch(path, { method, data, headers: { 'x-csrf-token': this.csrf } });
  }

  async dispose() {
    await this.ctx.dispose();
  }
}

/** Invites someone and accepts the invite with their password; returns their user id. */
export async function addPerson(owner: StageHand, baseURL: string, who: Person & { name: string; role: string }): Promise<string> {
  const { inviteUrl } = await owner.send<{ inviteUrl: string }>('POST', '/api/users/invites', { email: who.email, name: who.name, role: who.role });
  const token = inviteUrl.split('/invite/')[1]!;
  const ctx = await request.newContext({ baseURL });
  const accepted = await ctx.post(`/api/invites/${token}/accept`, { data: { password: who.password } });
  expect(accepted.status(), await accepted.text()).toBe(201);
  const { userId } = await accepted.json();
  await ctx.dispose();
  return userId as string;
}

/**
 * The next five-minute mark plus `slotMinutes`: today's appointment for the journey
 * (rounded up, so it does not fall on yesterday just after midnight).
 */
export function startsSoon(slotMinutes = 0): string {
  const t = new Date(Date.now() + slotMinutes * 60_000);
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + (5 - (t.getUTCMinutes() % 5)));
  return t.toISOString();
}

/**
 * Gives the practice a Twilio auth token (the messaging settings keep everything else as
 * it is), so the test can sign webhooks the way Twilio would.
 */
export async function setTwilioAuthToken(owner: StageHand, authToken: string): Promise<void> {
  const { hasSmtpPassword: _p, hasTwilioAuthToken: _t, updatedAt: _u, ...settings } = await owner.get<Record<string, unknown>>('/api/practice/messaging');
  await owner.send('PUT', '/api/practice/messaging', { ...settings, twilioAuthToken: authToken });
}

/**
 * Posts a Twilio webhook (form-encoded) signed with X-Twilio-Signature over the public URL
 * and the fields, as Twilio signs it; answers the status and the TwiML.
 */
export async function postTwilioWebhook(baseURL: string, path: string, params: Record<string, string>, authToken: string): Promise<{ status: number; body: string }> {
  const url = `${baseURL.replace(/\/$/, '')}${path}`;
  const ctx = await request.newContext({ baseURL });
  const res = await ctx.post(path, { form: params, headers: { 'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params) } });
  const answer = { status: res.status(), body: await res.text() };
  await ctx.dispose();
  return answer;
}
