import { describe, expect, it } from '@jest/globals';

import { EXPORT_EVENT_TYPES } from '../schemas/export-event.schema.js';
import { exportEventExamples, fileReadyExample } from '../testing/message-examples.js';
import type { Handlers } from './handlers.js';
import { dispatchMessage } from './handlers.js';

type Seen = string[];

function eventHandlers(): Handlers<'export.events', Seen, string> {
  const record = async (type: string, seen: Seen): Promise<string> => {
    seen.push(type);
    return Promise.resolve(type);
  };
  return {
    'extract.started': (event, seen) => record(`${event.type}:${event.window.high}`, seen),
    'extract.staged': (event, seen) => record(`${event.type}:${event.file.rowCount}`, seen),
    'extract.empty': (event, seen) => record(event.type, seen),
    'extract.skipped': (event, seen) => record(`${event.type}:${event.reason}`, seen),
    'extract.failed': (event, seen) => record(`${event.type}:${event.error.code}`, seen),
    'upload.delivered': (event, seen) => record(`${event.type}:${event.remotePath}`, seen),
    'upload.duplicate': (event, seen) => record(`${event.type}:${event.original.runId}`, seen),
    'upload.failed': (event, seen) => record(`${event.type}:${event.attempt}`, seen),
    'notification.sent': (event, seen) => record(`${event.type}:${event.channel}`, seen),
    'notification.failed': (event, seen) => record(`${event.type}:${event.channel}`, seen),
  };
}

describe('Handlers', () => {
  it('dispatches every event type to its own handler', async () => {
    const handlers = eventHandlers();
    const seen: Seen = [];
    for (const type of EXPORT_EVENT_TYPES) {
      await dispatchMessage('export.events', handlers, exportEventExamples[type], seen);
    }
    expect(seen.map((entry) => entry.split(':')[0])).toEqual([...EXPORT_EVENT_TYPES]);
    expect(seen).toContain('extract.staged:10');
    expect(seen).toContain('upload.failed:3');
  });

  it('dispatches a single-type kind', async () => {
    const handlers: Handlers<'file.ready', undefined, string> = {
      'file.ready': (file) => Promise.resolve(file.fileName),
    };
    await expect(dispatchMessage('file.ready', handlers, fileReadyExample, undefined)).resolves.toBe(
      fileReadyExample.fileName,
    );
  });

  it('demands a handler for every event type at compile time', () => {
    const { 'upload.failed': _dropped, ...incomplete } = eventHandlers();
    // @ts-expect-error — 'upload.failed' has no handler.
    const handlers: Handlers<'export.events', Seen, string> = incomplete;
    expect(Object.keys(handlers)).toHaveLength(EXPORT_EVENT_TYPES.length - 1);
  });

  it('types each handler with its own event', () => {
    const handlers: Handlers<'export.requested'> = {
      // @ts-expect-error — an export.requested has no runId.
      'export.requested': (request) => Promise.resolve(void request.runId),
    };
    expect(Object.keys(handlers)).toEqual(['export.requested']);
  });
});
