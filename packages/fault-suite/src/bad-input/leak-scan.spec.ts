import { describe, expect, it } from '@jest/globals';

import { capturedNotifications, describeLeaks, scanForLeaks } from './leak-scan.js';

const needles = [
  { label: 'SFTP password', value: 'pw "with" quotes/+' },
  { label: 'row email', value: 'jane.doe@example.org' },
];

describe('scanForLeaks', () => {
  it('finds nothing in clean text', () => {
    expect(scanForLeaks([{ source: 'a.log', text: '{"message":"ok"}\n' }], needles)).toEqual([]);
  });

  it('finds a needle as is, JSON-escaped or percent-encoded, with its line and never its value', () => {
    const captured = [
      { source: 'plain.log', text: 'one\ntwo jane.doe@example.org\n' },
      { source: 'json.log', text: `{"err":${JSON.stringify('bad pw "with" quotes/+')}}` },
      { source: 'url.log', text: `https://x/?p=${encodeURIComponent('pw "with" quotes/+')}` },
    ];
    const leaks = scanForLeaks(captured, needles);
    expect(leaks).toEqual([
      { label: 'SFTP password', source: 'json.log', line: 1, context: '{"err":"bad «SFTP password»"}' },
      { label: 'SFTP password', source: 'url.log', line: 1, context: 'https://x/?p=«SFTP password»' },
      { label: 'row email', source: 'plain.log', line: 2, context: 'two «row email»' },
    ]);
    expect(describeLeaks(leaks)).not.toContain('quotes');
    expect(describeLeaks(leaks)).not.toContain('jane');
  });
});

describe('capturedNotifications', () => {
  it('takes each mail raw and decoded, and the Slack payloads without the webhook path', () => {
    const body = Buffer.from('jane.doe@example.org').toString('base64');
    const captured = capturedNotifications({
      smtp: {
        messages: () => [
          {
            raw: Buffer.from(`Subject: hi\r\n\r\n${body}`),
            subject: 'hi',
            text: 'jane.doe@example.org',
            html: undefined,
          },
        ],
      },
      slack: { posts: () => [{ payload: { text: 'delivered' } }] },
    });
    expect(captured.map((entry) => entry.source)).toEqual(['mail #1', 'slack posts']);
    expect(captured[1]!.text).toBe('[{"text":"delivered"}]');
    expect(scanForLeaks(captured, needles)).toEqual([
      { label: 'row email', source: 'mail #1', line: 5, context: '«row email»' },
    ]);
  });
});
