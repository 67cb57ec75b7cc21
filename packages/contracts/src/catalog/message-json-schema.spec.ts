import { describe, expect, it } from '@jest/globals';

import { messageJsonSchema } from './message-json-schema.js';

describe('messageJsonSchema', () => {
  it('describes export.requested with config as the only required field', () => {
    const schema = messageJsonSchema('export.requested');
    expect(schema['required']).toEqual(['config']);
    expect(schema['additionalProperties']).toBe(false);
  });

  it('describes every event type of export.events', () => {
    const schema = messageJsonSchema('export.events') as {
      oneOf?: { properties: { type: { const: string } } }[];
    };
    expect(schema.oneOf?.map((option) => option.properties.type.const)).toContain('upload.delivered');
    expect(schema.oneOf).toHaveLength(10);
  });
});
