import type { AddressObject, ParsedMail } from 'mailparser';
import { simpleParser } from 'mailparser';

/** One message the SMTP sink accepted, parsed. */
export interface ReceivedMail {
  /** SMTP envelope: `MAIL FROM` and `RCPT TO` addresses. */
  readonly envelope: { readonly from: string | undefined; readonly to: readonly string[] };
  /** Addresses in the `From`, `To` and `Cc` headers. */
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly subject: string | undefined;
  readonly text: string | undefined;
  readonly html: string | undefined;
  /** Header values by lower-case name; a repeated header's values joined with `\n`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The message as received (RFC 5322). */
  readonly raw: Buffer;
}

export async function parseMail(raw: Buffer, envelope: ReceivedMail['envelope']): Promise<ReceivedMail> {
  const parsed: ParsedMail = await simpleParser(raw);
  const headers: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) {
    const value = line.slice(line.indexOf(':') + 1).trim();
    headers[key] = key in headers ? `${headers[key]}\n${value}` : value;
  }
  return {
    envelope,
    from: addresses(parsed.from),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    subject: parsed.subject,
    text: parsed.text,
    html: parsed.html === false ? undefined : parsed.html,
    headers,
    raw,
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((object) => object.value.flatMap((entry) => (entry.address ? [entry.address] : [])));
}
