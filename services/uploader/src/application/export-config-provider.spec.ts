import { describe, expect, it } from '@jest/globals';

import { CachedExportConfigProvider } from './export-config-provider.js';
import { MapConfigSource, testConfigText } from './testing/deliver-file-kit.js';

function clockAt(start: number) {
  const clock = { time: start, now: () => new Date(clock.time) };
  return clock;
}

describe('CachedExportConfigProvider', () => {
  it('reads a config once per ttl and again after', async () => {
    const source = new MapConfigSource({ default: testConfigText() });
    const clock = clockAt(0);
    const provider = new CachedExportConfigProvider(source, clock, 60_000);

    const [a, b] = await Promise.all([provider.get('default'), provider.get('default')]);
    expect(a).toBe(b);
    expect(a.name).toBe('default');
    clock.time = 59_999;
    await provider.get('default');
    expect(source.reads).toEqual(['default']);
    clock.time = 60_000;
    await provider.get('default');
    expect(source.reads).toEqual(['default', 'default']);
  });

  it('does not keep a failure', async () => {
    const texts: Record<string, string> = {};
    const source = new MapConfigSource(texts);
    const provider = new CachedExportConfigProvider(source, clockAt(0));
    await expect(provider.get('default')).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' });
    texts['default'] = testConfigText();
    await expect(provider.get('default')).resolves.toMatchObject({ name: 'default' });
  });
});
