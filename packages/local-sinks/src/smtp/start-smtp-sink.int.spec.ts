import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { startSmtpSink, type SmtpSink, type SmtpSinkOptions } from './start-smtp-sink.js';

const WAIT = 10_000;

function transportTo(sink: SmtpSink, auth?: { user: string; pass: string }) {
  return nodemailer.createTransport({
    host: sink.host,
    port: sink.port,
    secure: false,
    ignoreTLS: true,
    ...(auth ? { auth } : {}),
  });
}

describe('startSmtpSink', () => {
  const sinks: SmtpSink[] = [];
  let directory: string;
  const start = async (options: SmtpSinkOptions = {}): Promise<SmtpSink> => {
    const sink = await startSmtpSink(options);
    sinks.push(sink);
    return sink;
  };

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'smtp-sink-'));
  });

  afterEach(async () => {
    await Promise.all(sinks.splice(0).map((sink) => sink.stop()));
  });

  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('keeps a plain-text message with its envelope and headers', async () => {
    const sink = await start();
    await transportTo(sink).sendMail({
      from: 'exports@example.com',
      to: 'ops@example.com',
      subject: 'Export orders: delivered',
      text: '3 files, 1200 rows',
      headers: { 'X-Export-Run': 'run-42' },
    });
    const [mail] = await sink.waitFor(1, WAIT);
    expect(mail).toMatchObject({
      envelope: { from: 'exports@example.com', to: ['ops@example.com'] },
      from: ['exports@example.com'],
      to: ['ops@example.com'],
      subject: 'Export orders: delivered',
      text: '3 files, 1200 rows\n',
      html: undefined,
    });
    expect(mail!.headers['x-export-run']).toBe('run-42');
    expect(mail!.headers['subject']).toBe('Export orders: delivered');
  });

  it('keeps HTML with its text alternative, several recipients, and writes .eml files', async () => {
    const emlDirectory = path.join(directory, 'eml');
    const sink = await start({ directory: emlDirectory });
    await transportTo(sink).sendMail({
      from: 'Exports <exports@example.com>',
      to: ['a@example.com', 'b@example.com'],
      cc: 'c@example.com',
      subject: 'Résumé',
      text: 'plain body',
      html: '<p>html <b>body</b></p>',
    });
    const [mail] = await sink.waitFor(1, WAIT);
    expect(mail).toMatchObject({
      to: ['a@example.com', 'b@example.com'],
      cc: ['c@example.com'],
      subject: 'Résumé',
      html: '<p>html <b>body</b></p>',
    });
    expect(mail!.envelope.to).toEqual(['a@example.com', 'b@example.com', 'c@example.com']);
    expect(mail!.text).toContain('plain body');

    const files = await readdir(emlDirectory);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    expect(await readFile(path.join(emlDirectory, files[0]!))).toEqual(mail!.raw);
  });

  it('with AUTH: accepts the right credentials and refuses a wrong password or none', async () => {
    const sink = await start({ auth: { username: 'mailer', password: 'right' } });
    const message = { from: 'a@example.com', to: 'b@example.com', subject: 's', text: 't' };

    const info = (await transportTo(sink, { user: 'mailer', pass: 'right' }).sendMail(message)) as {
      ehlo: string[];
    };
    expect(info.ehlo).toContain('AUTH PLAIN LOGIN');
    await expect(
      transportTo(sink, { user: 'mailer', pass: 'wrong' }).sendMail(message),
    ).rejects.toMatchObject({
      code: 'EAUTH',
      responseCode: 535,
    });
    await expect(transportTo(sink).sendMail(message)).rejects.toMatchObject({ responseCode: 530 });
    expect(sink.messages()).toHaveLength(1);
  });

  it('without AUTH: offers no AUTH and accepts mail from anyone', async () => {
    const sink = await start();
    const message = { from: 'a@example.com', to: 'b@example.com', subject: 's', text: 't' };
    const info = (await transportTo(sink).sendMail(message)) as { ehlo: string[] };
    expect(info.ehlo.some((extension) => extension.startsWith('AUTH'))).toBe(false);
    // nodemailer skips login when the server offers none, so credentials do not matter here.
    await transportTo(sink, { user: 'u', pass: 'p' }).sendMail(message);
    expect(sink.messages()).toHaveLength(2);
  });

  it('answers the next messages with a temporary failure when told to, then accepts again', async () => {
    const sink = await start();
    const transport = transportTo(sink);
    const message = { from: 'a@example.com', to: 'b@example.com', subject: 'retry me', text: 't' };
    sink.failNext(2, 421);

    await expect(transport.sendMail(message)).rejects.toMatchObject({ responseCode: 421 });
    await expect(transport.sendMail(message)).rejects.toMatchObject({ responseCode: 421 });
    await transport.sendMail(message);
    expect((await sink.waitFor(1, WAIT)).map((mail) => mail.subject)).toEqual(['retry me']);

    sink.failNext(1);
    await expect(transport.sendMail(message)).rejects.toMatchObject({ responseCode: 451 });
    sink.clear();
    expect(sink.messages()).toEqual([]);
  });
});
