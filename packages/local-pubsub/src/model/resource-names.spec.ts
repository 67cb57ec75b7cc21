import { describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { codeOf } from '../testing/status-code.js';
import { parseProjectName, parseResourceName } from './resource-names.js';

describe('parseResourceName', () => {
  it('accepts valid names', () => {
    expect(parseResourceName('topics', 'projects/p/topics/file-ready.v1_x~y+z%20')).toEqual({
      project: 'p',
      id: 'file-ready.v1_x~y+z%20',
      name: 'projects/p/topics/file-ready.v1_x~y+z%20',
    });
  });

  it.each([
    ['projects/p/topics/-bad'],
    ['projects/p/topics/ab'],
    ['projects/p/topics/goog-x'],
    ['projects/p/topics/a/b'],
    ['projects/p/subscriptions/good-name'],
    ['topics/abc'],
    [''],
    [`projects/p/topics/a${'x'.repeat(255)}`],
  ])('rejects %s with INVALID_ARGUMENT', (name) => {
    expect(codeOf(() => parseResourceName('topics', name))).toBe(status.INVALID_ARGUMENT);
  });

  it('parses project names', () => {
    expect(parseProjectName('projects/my-project')).toBe('my-project');
    expect(codeOf(() => parseProjectName('my-project'))).toBe(status.INVALID_ARGUMENT);
  });
});
