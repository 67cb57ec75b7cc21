import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

import { parse } from 'csv-parse/sync';

/** A file at a final name in the partner's directory. */
export interface DeliveredFile {
  readonly name: string;
  readonly sha256: string;
  /** The `id` column of every record, or undefined when the file does not parse as complete CSV. */
  readonly ids: readonly number[] | undefined;
}

/** What the partner's directory holds: files at final names, and temporary files left over. */
export interface DeliveryDirectory {
  readonly files: readonly DeliveredFile[];
  readonly temporary: readonly string[];
}

/**
 * Reads every file in the partner's directory. Names starting with a dot are the uploader's
 * temporary files (`.<name>.partial`); every other name is final and is parsed strictly as
 * RFC 4180 CSV with a header row (a file cut short fails: an open quote or a short record),
 * after gunzip for `.gz` names (a truncated gzip stream fails too).
 */
export async function readDeliveryDirectory(directory: string): Promise<DeliveryDirectory> {
  const names = (await readdir(directory)).sort();
  const files: DeliveredFile[] = [];
  for (const name of names.filter((entry) => !entry.startsWith('.'))) {
    const content = await readFile(path.join(directory, name));
    files.push({
      name,
      sha256: createHash('sha256').update(content).digest('hex'),
      ids: name.endsWith('.gz') ? gzippedIdsOf(content) : idsOf(content.toString('utf8')),
    });
  }
  return { files, temporary: names.filter((entry) => entry.startsWith('.')) };
}

/** The `id` of each record, or undefined when the text is not complete CSV with an `id` column. */
export function idsOf(text: string): number[] | undefined {
  let records: Record<string, string>[];
  try {
    records = parse<Record<string, string>>(text, { columns: true, skip_empty_lines: false });
  } catch {
    return undefined;
  }
  if (!text.endsWith('\n')) return undefined;
  const ids = records.map((record) => Number(record['id']));
  return ids.every((id) => Number.isSafeInteger(id)) ? ids : undefined;
}

function gzippedIdsOf(content: Buffer): number[] | undefined {
  let text: string;
  try {
    text = gunzipSync(content).toString('utf8');
  } catch {
    return undefined;
  }
  return idsOf(text);
}
