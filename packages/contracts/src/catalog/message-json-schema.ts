import { z } from 'zod';

import type { MessageKind } from './message-catalog.js';
import { MessageCatalog } from './message-catalog.js';

/**
 * JSON Schema (draft 2020-12) of a kind's current version, generated from the zod schema, for
 * people writing messages by hand (scheduler bodies) and for documentation. Cross-field rules
 * (`low < high`) are only enforced by the decoder.
 */
export function messageJsonSchema(kind: MessageKind): Record<string, unknown> {
  const entry = MessageCatalog[kind];
  const schema = entry.versions[entry.currentVersion] as z.ZodType;
  return z.toJSONSchema(schema, { io: 'input' });
}
