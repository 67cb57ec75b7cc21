import { describe, expect, it } from '@jest/globals';

import { bigQueryTimestampText, normaliseDelivered } from './expected-files.js';

const columns = ['id', 'addr_line_1', 'last_updated_at'];
const rows = [
  { id: 1, addr_line_1: 'a, "b"', last_updated_at: '2026-01-01T00:00:00.000001Z' },
  { id: 2, addr_line_1: 'line\nbreak', last_updated_at: '2026-01-01T00:00:00.000001Z' },
  { id: 3, addr_line_1: null, last_updated_at: '2026-01-01T00:00:01.000000Z' },
];
const header = 'id,addr_line_1,last_updated_at\n';
const one = '1,"a, ""b""",2026-01-01 00:00:00.000001 UTC\n';
const two = '2,"line\nbreak",2026-01-01 00:00:00.000001 UTC\n';
const three = '3,,2026-01-01 00:00:01 UTC\n';

describe('normaliseDelivered', () => {
  it('accepts rows sharing a timestamp in either order', () => {
    for (const file of [header + one + two + three, header + two + one + three]) {
      const compared = normaliseDelivered(file, columns, rows);
      expect(compared.delivered).toBe(compared.expected);
      expect(compared.timestampOrdered).toBe(true);
    }
  });

  it('refuses a different byte, a missing row and rows out of timestamp order', () => {
    const changed = normaliseDelivered(header + one + two + three.replace('3,,', '3,"",'), columns, rows);
    expect(changed.delivered).not.toBe(changed.expected);
    const missing = normaliseDelivered(header + one + three, columns, rows);
    expect(missing.delivered).not.toBe(missing.expected);
    expect(normaliseDelivered(header + three + one + two, columns, rows).timestampOrdered).toBe(false);
  });

  it("renders timestamps in BigQuery's CSV form, the fraction only when it is not zero", () => {
    expect(bigQueryTimestampText('2026-01-05T08:00:37.532720Z')).toBe('2026-01-05 08:00:37.532720 UTC');
    expect(bigQueryTimestampText('2026-01-05T08:00:00.000000Z')).toBe('2026-01-05 08:00:00 UTC');
    expect(bigQueryTimestampText('2026-01-05T08:00:00.5Z')).toBe('2026-01-05 08:00:00.500000 UTC');
  });
});
