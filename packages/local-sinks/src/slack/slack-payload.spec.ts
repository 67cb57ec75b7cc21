import { describe, expect, it } from '@jest/globals';
import { checkSlackPayload } from './slack-payload.js';

const section = { type: 'section', text: { type: 'mrkdwn', text: '*orders*: delivered' } };

describe('checkSlackPayload', () => {
  it.each([
    ['text only', { text: 'hello' }],
    ['blocks only', { blocks: [section, { type: 'divider' }] }],
    ['text and blocks', { text: 'fallback', blocks: [section] }],
    ['a section with fields', { blocks: [{ type: 'section', fields: [{ type: 'mrkdwn', text: 'a' }] }] }],
    ['a header', { blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Export failed' } }] }],
    ['context', { blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: 'run 42' }] }] }],
    ['attachments only', { attachments: [{ text: 'legacy' }] }],
  ])('accepts %s', (_name, payload) => {
    expect(checkSlackPayload(JSON.stringify(payload))).toEqual({ payload });
  });

  it.each([
    ['not JSON', 'text=hello', 'invalid_payload'],
    ['a JSON array', '[]', 'invalid_payload'],
    ['a non-string text', '{"text":42}', 'invalid_payload'],
    ['an empty object', '{}', 'no_text'],
    ['blank text', '{"text":"  "}', 'no_text'],
    ['blocks that are not a list', '{"blocks":{"type":"divider"}}', 'invalid_blocks_format'],
    ['an unknown block type', '{"blocks":[{"type":"banner"}]}', 'invalid_blocks'],
    ['a section without text or fields', '{"blocks":[{"type":"section"}]}', 'invalid_blocks'],
    [
      'a header in mrkdwn',
      '{"blocks":[{"type":"header","text":{"type":"mrkdwn","text":"x"}}]}',
      'invalid_blocks',
    ],
    [
      'an image without alt text',
      '{"blocks":[{"type":"image","image_url":"https://x/y.png"}]}',
      'invalid_blocks',
    ],
  ])('refuses %s', (_name, body, error) => {
    expect(checkSlackPayload(body)).toEqual({ error });
  });

  it('refuses more than 50 blocks and a section text over 3000 characters', () => {
    expect(checkSlackPayload(JSON.stringify({ blocks: Array(51).fill({ type: 'divider' }) }))).toEqual({
      error: 'invalid_blocks_format',
    });
    const long = { type: 'section', text: { type: 'plain_text', text: 'x'.repeat(3001) } };
    expect(checkSlackPayload(JSON.stringify({ blocks: [long] }))).toEqual({ error: 'invalid_blocks' });
  });
});
