import { timingSafeEqual } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { SMTPServer } from 'smtp-server';
import { Inbox } from '../inbox/inbox.js';
import { parseMail, type ReceivedMail } from './received-mail.js';

export interface SmtpSinkOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Address to listen on; `127.0.0.1` by default. */
  readonly host?: string;
  /** Require AUTH (PLAIN or LOGIN) with these credentials; absent = no AUTH offered. */
  readonly auth?: { readonly username: string; readonly password: string };
  /** Also write each accepted message as `<time>-<n>.eml` into this folder (created if missing). */
  readonly directory?: string;
}

export interface SmtpSink {
  readonly host: string;
  readonly port: number;
  /** Accepted messages, oldest first. */
  messages(): readonly ReceivedMail[];
  /** Resolves once `count` messages have been accepted; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs: number): Promise<readonly ReceivedMail[]>;
  clear(): void;
  /** Answers the next `count` messages with `code` (a 4xx temporary failure by default) instead of accepting them. */
  failNext(count: number, code?: number): void;
  stop(): Promise<void>;
}

/**
 * Starts an SMTP server that keeps what it receives. Plain text only: no TLS, and AUTH is allowed
 * over the unencrypted connection (`allowInsecureAuth`), which is acceptable on loopback only.
 */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const inbox = new Inbox<ReceivedMail>();
  const failures: number[] = [];
  let written = 0;
  const { auth, directory } = options;
  if (directory) await mkdir(directory, { recursive: true });

  const server = new SMTPServer({
    secure: false,
    authOptional: auth === undefined,
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: auth === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1_000,
    onAuth(credentials, _session, callback) {
      if (auth && same(credentials.username, auth.username) && same(credentials.password, auth.password)) {
        callback(null, { user: auth.username });
      } else {
        callback(withResponseCode(new Error('Invalid username or password'), 535));
      }
    },
    onData(stream, session, callback) {
      buffer(stream).then(
        async (raw) => {
          const failure = failures.shift();
          if (failure !== undefined) {
            return callback(withResponseCode(new Error('Temporary failure, try again later'), failure));
          }
          const envelope = {
            from: session.envelope.mailFrom === false ? undefined : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
          };
          const mail = await parseMail(raw, envelope);
          if (directory) {
            const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${++written}.eml`;
            await writeFile(path.join(directory, name), raw);
          }
          inbox.add(mail);
          callback();
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Client mistakes (bad commands, dropped connections) are answered on the wire; nothing to do here.
  server.on('error', () => undefined);

  return {
    host,
    port: (server.server.address() as AddressInfo).port,
    messages: () => inbox.all(),
    waitFor: (count, timeoutMs) => inbox.waitFor(count, timeoutMs),
    clear: () => inbox.clear(),
    failNext: (count, code = 451) => {
      for (let i = 0; i < count; i++) failures.push(code);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function withResponseCode(error: Error, responseCode: number): Error {
  return Object.assign(error, { responseCode });
}

function same(given: string | null | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
