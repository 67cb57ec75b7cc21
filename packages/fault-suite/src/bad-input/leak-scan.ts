import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** Something that must never appear in what the system wrote: a secret or an exported row value. */
export interface Needle {
  /** Names the needle in reports (`SFTP password`, `row 3 email`); never the value itself. */
  readonly label: string;
  readonly value: string;
}

/** A piece of captured output: a log file, a mail, the Slack posts. */
export interface CapturedText {
  readonly source: string;
  readonly text: string;
}

/** One needle found in one source: where, never what. */
export interface Leak {
  readonly label: string;
  readonly source: string;
  /** 1-based line of the first occurrence. */
  readonly line: number;
  /** That line (at most 400 characters around it) with the needle replaced by `«label»`. */
  readonly context: string;
}

/**
 * The forms a value takes when written by the services: as is, JSON-escaped (log lines, Slack
 * payloads) and percent-encoded (URLs). Mails are scanned decoded (see `capturedNotifications`).
 */
function formsOf(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  return [...new Set([value, json, encodeURIComponent(value)])].filter((form) => form.length > 0);
}

/** Every needle (in every written form) found in every captured text; empty when nothing leaked. */
export function scanForLeaks(captured: readonly CapturedText[], needles: readonly Needle[]): Leak[] {
  const leaks: Leak[] = [];
  for (const needle of needles) {
    const forms = formsOf(needle.value);
    for (const { source, text } of captured) {
      const at = Math.min(...forms.map((form) => text.indexOf(form)).filter((index) => index >= 0));
      if (Number.isFinite(at)) {
        const start = text.lastIndexOf('\n', at) + 1;
        const end = text.indexOf('\n', at);
        let line = text.slice(Math.max(start, at - 200), end < 0 ? undefined : Math.min(end, at + 200));
        for (const form of forms) line = line.split(form).join(`«${needle.label}»`);
        leaks.push({
          label: needle.label,
          source,
          line: text.slice(0, at).split('\n').length,
          context: line,
        });
      }
    }
  }
  return leaks;
}

/** Every file of a directory (not recursive) as captured text; none when it does not exist. */
export async function capturedFiles(directory: string): Promise<CapturedText[]> {
  const names = await readdir(directory).catch(() => [] as string[]);
  return Promise.all(
    names.sort().map(async (name) => ({
      source: path.join(path.basename(directory), name),
      text: await readFile(path.join(directory, name), 'utf8'),
    })),
  );
}

/** A captured mail: the raw message and its decoded subject and bodies (bodies may be base64 or quoted-printable). */
export interface CapturedMail {
  readonly raw: Buffer;
  readonly subject: string | undefined;
  readonly text: string | undefined;
  readonly html: string | undefined;
}

/** What the local cloud's sinks captured: each mail (raw and decoded) and the Slack payloads as JSON. */
export function capturedNotifications(sinks: {
  readonly smtp: { messages(): readonly CapturedMail[] };
  readonly slack: { posts(): readonly { readonly payload: unknown }[] };
}): CapturedText[] {
  return [
    ...sinks.smtp.messages().map((mail, index) => ({
      source: `mail #${index + 1}`,
      text: [mail.raw.toString('utf8'), mail.subject, mail.text, mail.html].join('\n'),
    })),
    // The payloads only: the request path is the webhook URL itself, which the sink knows.
    { source: 'slack posts', text: JSON.stringify(sinks.slack.posts().map((post) => post.payload)) },
  ];
}

/** A leak report for an assertion message: labels, places and masked context, never a value. */
export function describeLeaks(leaks: readonly Leak[]): string {
  return leaks.map((leak) => `${leak.label} in ${leak.source} line ${leak.line}: ${leak.context}`).join('\n');
}
