/** Slack's answer to a payload it refuses: HTTP 400 with one of these bodies. */
export type SlackPayloadError = 'invalid_payload' | 'no_text' | 'invalid_blocks' | 'invalid_blocks_format';

/** Block types Slack accepts in messages. */
const BLOCK_TYPES = new Set([
  'actions',
  'context',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
]);
const MAX_BLOCKS = 50;
const MAX_SECTION_TEXT = 3000;
const MAX_HEADER_TEXT = 150;

/**
 * Checks a webhook body the way Slack does, as far as this sink goes: a JSON object with `text`,
 * `blocks` or `attachments`; blocks of known types with the fields each type requires.
 * Returns the parsed payload, or the error code Slack answers with.
 */
export function checkSlackPayload(
  body: string,
): { payload: Record<string, unknown> } | { error: SlackPayloadError } {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return { error: 'invalid_payload' };
  }
  if (!isObject(payload)) return { error: 'invalid_payload' };

  const { text, blocks, attachments } = payload;
  if (text !== undefined && typeof text !== 'string') return { error: 'invalid_payload' };
  if (blocks !== undefined) {
    if (!Array.isArray(blocks) || blocks.length > MAX_BLOCKS) return { error: 'invalid_blocks_format' };
    if (!blocks.every(isValidBlock)) return { error: 'invalid_blocks' };
  }
  const hasText = typeof text === 'string' && text.trim() !== '';
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
  if (!hasText && !hasBlocks && !hasAttachments) return { error: 'no_text' };
  return { payload };
}

function isValidBlock(block: unknown): boolean {
  if (!isObject(block) || typeof block.type !== 'string' || !BLOCK_TYPES.has(block.type)) return false;
  switch (block.type) {
    case 'section':
      return (
        (block.text === undefined || isTextObject(block.text, MAX_SECTION_TEXT)) &&
        (block.text !== undefined || (Array.isArray(block.fields) && block.fields.length > 0))
      );
    case 'header':
      return isTextObject(block.text, MAX_HEADER_TEXT) && block.text.type === 'plain_text';
    case 'context':
    case 'actions':
      return Array.isArray(block.elements) && block.elements.length > 0;
    case 'image':
      return (
        typeof block.alt_text === 'string' &&
        (typeof block.image_url === 'string' || isObject(block.slack_file))
      );
    default:
      return true;
  }
}

function isTextObject(value: unknown, maxLength: number): value is { type: string; text: string } {
  return (
    isObject(value) &&
    (value.type === 'plain_text' || value.type === 'mrkdwn') &&
    typeof value.text === 'string' &&
    value.text.length > 0 &&
    value.text.length <= maxLength
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
