// Real counterparts for the messaging tests: an SMTP server and a Twilio-like REST API on loopback.
import http from 'node:http';
import net from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail { to: string; subject: string; messageId: string; body: string; raw: string }

/** An SMTP server on 127.0.0.1 that keeps every mail it accepts. `listen` may be called again after `close`. */
export function smtpTestServer(port: number) {
  const mails: ReceivedMail[] = [];
  let server: SMTPServer | null = null;
  return {
    mails,
    port,
    async listen() {
      server = new SMTPServer({
        authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
        onData(stream, _session, callback) {
          let raw = '';
          stream.setEncoding('utf8');
          stream.on('data', (chunk: string) => { raw += chunk; });
          stream.on('end', () => { mails.push(parseMail(raw)); callback(); });
        },
      });
      await new Promise<void>((resolve, reject) => { server!.once('error', reject); server!.listen(port, '127.0.0.1', () => resolve()); });
    },
    async close() {
      if (!server) return;
      const s = server;
      server = null;
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}

function parseMail(raw: string): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(head)?.[1]?.trim() ?? '';
  let body = raw.slice(split + 4);
  if (/quoted-printable/i.test(header('Content-Transfer-Encoding'))) {
    body = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
  return { to: header('To'), subject: header('Subject'), messageId: header('Message-ID'), body: body.replace(/\r\n/g, '\n').trim(), raw };
}

/** A port nothing listens on (yet). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export interface TwilioRequest { path: string; authorization: string; idempotencyToken: string; contentType: string; form: Record<string, string> }

/** Twilio's "create a message" endpoint as far as Holdspace uses it; answers like Twilio (201 with a sid). */
export async function twilioTestServer() {
  const requests: TwilioRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { body += c; });
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      requests.push({
        path: req.url ?? '', authorization: String(req.headers.authorization ?? ''), idempotencyToken: String(req.headers['i-twilio-idempotency-token'] ?? ''),
        contentType: String(req.headers['content-type'] ?? ''), form,
      });
      const sid = `SM${String(requests.length).padStart(32, '0')}`;
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid, status: 'queued', to: form.To, from: form.From, body: form.Body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    requests,
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
