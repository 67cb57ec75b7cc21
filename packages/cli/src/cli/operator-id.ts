import { randomBytes } from 'node:crypto';

/** An id for an operator action, `<kind>-20260105T080000Z-3f9a1c`: sortable, valid as an opaque id. */
export function operatorId(kind: string, now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${kind}-${stamp}-${randomBytes(3).toString('hex')}`;
}
