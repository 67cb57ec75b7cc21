import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { startLocalGcs, type LocalGcs } from './start-local-gcs.js';

/** Wire details the client library does not reach on its own: exercised with plain fetch. */
describe.each(['memory', 'directory'])('JSON API wire details (%s backend)', (backend) => {
  let gcs: LocalGcs;
  let directory: string | undefined;

  beforeAll(async () => {
    directory = backend === 'directory' ? await mkdtemp(path.join(tmpdir(), 'local-gcs-wire-')) : undefined;
    gcs = await startLocalGcs(directory === undefined ? {} : { directory });
  });

  afterAll(async () => {
    await gcs.stop();
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await gcs.reset();
    await post('/storage/v1/b?project=p', JSON.stringify({ name: 'wire' }), 'application/json');
  });

  function post(path: string, body: string, contentType: string): Promise<Response> {
    return fetch(`${gcs.endpoint}${path}`, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
    });
  }

  it('accepts a simple media upload', async () => {
    const response = await post(
      '/upload/storage/v1/b/wire/o?uploadType=media&name=plain.txt',
      'plain bytes',
      'text/plain',
    );
    expect(response.status).toBe(200);
    const object = (await response.json()) as Record<string, string>;
    expect(object).toMatchObject({
      kind: 'storage#object',
      name: 'plain.txt',
      bucket: 'wire',
      size: '11',
      contentType: 'text/plain',
    });
    expect((await gcs.readObject('wire', 'plain.txt')).toString()).toBe('plain bytes');
  });

  it('answers 412 and 404 in the API error shape', async () => {
    await post('/upload/storage/v1/b/wire/o?uploadType=media&name=x', 'x', 'text/plain');
    const conflict = await post(
      '/upload/storage/v1/b/wire/o?uploadType=media&name=x&ifGenerationMatch=0',
      'y',
      'text/plain',
    );
    expect(conflict.status).toBe(412);
    expect(await conflict.json()).toEqual({
      error: {
        code: 412,
        message: 'At least one of the pre-conditions you specified did not hold.',
        errors: [
          {
            message: 'At least one of the pre-conditions you specified did not hold.',
            domain: 'global',
            reason: 'conditionNotMet',
          },
        ],
      },
    });
    const missing = await fetch(`${gcs.endpoint}/storage/v1/b/wire/o/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      error: { code: 404, message: 'No such object: wire/nope', errors: [{ reason: 'notFound' }] },
    });
  });

  it('rejects bytes that do not match the declared x-goog-hash, storing nothing', async () => {
    const response = await fetch(`${gcs.endpoint}/upload/storage/v1/b/wire/o?uploadType=media&name=bad`, {
      method: 'POST',
      body: 'hello world',
      headers: { 'x-goog-hash': 'crc32c=AAAAAA==' },
    });
    expect(response.status).toBe(400);
    expect(gcs.listObjects('wire')).toEqual([]);
  });

  it('reports a resumable session status with 308 and Range, then finishes on the last chunk', async () => {
    const start = await post(
      '/upload/storage/v1/b/wire/o?uploadType=resumable&name=r.bin',
      '{}',
      'application/json',
    );
    const location = start.headers.get('location')!;
    expect(location).toContain('upload_id=');

    const empty = await fetch(location, { method: 'PUT', headers: { 'content-range': 'bytes */*' } });
    expect(empty.status).toBe(308);
    expect(empty.headers.get('range')).toBeNull();

    const first = await fetch(location, {
      method: 'PUT',
      body: 'abcde',
      headers: { 'content-range': 'bytes 0-4/*' },
    });
    expect(first.status).toBe(308);
    expect(first.headers.get('range')).toBe('bytes=0-4');

    const status = await fetch(location, { method: 'PUT', headers: { 'content-range': 'bytes */*' } });
    expect(status.status).toBe(308);
    expect(status.headers.get('range')).toBe('bytes=0-4');

    const resent = await fetch(location, {
      method: 'PUT',
      body: 'cdefgh',
      headers: { 'content-range': 'bytes 2-7/8' },
    });
    expect(resent.status).toBe(200);
    expect(await resent.json()).toMatchObject({ name: 'r.bin', size: '8' });
    expect((await gcs.readObject('wire', 'r.bin')).toString()).toBe('abcdefgh');

    const again = await fetch(location, { method: 'PUT', headers: { 'content-range': 'bytes */8' } });
    expect(again.status).toBe(200);
  });

  it('keeps a session consistent when a chunk request breaks off midway', async () => {
    const start = await post(
      '/upload/storage/v1/b/wire/o?uploadType=resumable&name=broken.bin',
      '{}',
      'application/json',
    );
    const location = new URL(start.headers.get('location')!);
    const content = Buffer.alloc(3 * 1024 * 1024, 7);
    await new Promise<void>((resolve) => {
      const request = http.request(location, {
        method: 'PUT',
        headers: { 'content-range': `bytes 0-${content.length - 1}/${content.length}` },
      });
      request.on('error', () => resolve());
      request.write(content.subarray(0, 1024 * 1024), () => setTimeout(() => request.destroy(), 100));
    });

    const status = await waitForStatus(location);
    const landed = status === null ? 0 : Number(/bytes=0-(\d+)/.exec(status)![1]) + 1;
    expect(landed).toBeLessThanOrEqual(1024 * 1024);
    const rest = await fetch(location, {
      method: 'PUT',
      body: content.subarray(landed),
      headers: { 'content-range': `bytes ${landed}-${content.length - 1}/${content.length}` },
    });
    expect(rest.status).toBe(200);
    expect((await gcs.readObject('wire', 'broken.bin')).equals(content)).toBe(true);
  });

  it('cancels a resumable session with DELETE (499) and forgets it', async () => {
    const start = await post(
      '/upload/storage/v1/b/wire/o?uploadType=resumable&name=c.bin',
      '{}',
      'application/json',
    );
    const location = start.headers.get('location')!;
    expect((await fetch(location, { method: 'DELETE' })).status).toBe(499);
    expect((await fetch(location, { method: 'PUT', headers: { 'content-range': 'bytes */*' } })).status).toBe(
      404,
    );
  });

  /** The status query queues behind the broken request, so its answer reflects the resync. */
  async function waitForStatus(location: URL): Promise<string | null> {
    const response = await fetch(location, { method: 'PUT', headers: { 'content-range': 'bytes */*' } });
    expect(response.status).toBe(308);
    return response.headers.get('range');
  }

  it('answers 501 with a JSON error for what is not emulated', async () => {
    const response = await fetch(`${gcs.endpoint}/storage/v1/b/wire/o/x/acl`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(501);
    expect(await response.json()).toMatchObject({
      error: { code: 501, message: 'Not emulated by local-gcs: POST /storage/v1/b/wire/o/x/acl' },
    });
  });
});
