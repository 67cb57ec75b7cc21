import { describe, expect, it } from '@jest/globals';

import { median, medianSample, percentile, timeInProcess } from './stats.js';

describe('median', () => {
  it('takes the middle value of an odd count, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
  });

  it('takes the upper middle value of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(3);
  });

  it('refuses no values', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('percentile', () => {
  const values = Array.from({ length: 20 }, (_, i) => 20 - i);

  it('is the nearest rank', () => {
    expect(percentile(values, 95)).toBe(19);
    expect(percentile(values, 50)).toBe(10);
    expect(percentile(values, 100)).toBe(20);
    expect(percentile(values, 0)).toBe(1);
  });
});

describe('medianSample', () => {
  it('takes wall and CPU medians separately', () => {
    const samples = [
      { seconds: 3, cpuSeconds: 1 },
      { seconds: 1, cpuSeconds: 9 },
      { seconds: 2, cpuSeconds: 5 },
    ];
    expect(medianSample(samples)).toEqual({ seconds: 2, cpuSeconds: 5 });
  });
});

describe('timeInProcess', () => {
  it('reports the elapsed wall time and the CPU time spent', async () => {
    const sample = await timeInProcess(async () => {
      const until = Date.now() + 30;
      while (Date.now() < until) Math.sqrt(Math.random());
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    expect(sample.seconds).toBeGreaterThanOrEqual(0.045);
    expect(sample.cpuSeconds).toBeGreaterThan(0);
  });
});
