/** How the delivered sequence numbers compare with the inserted ones. */
export interface SequenceCheck {
  /** Inserted, in no delivered file. */
  readonly lost: readonly number[];
  /** Delivered more than once: each number once per extra copy. */
  readonly duplicated: readonly number[];
  /** Delivered, never inserted. */
  readonly unexpected: readonly number[];
}

/** Every inserted sequence number must be in exactly one place across all delivered files. */
export function checkSequences(
  inserted: Iterable<number>,
  delivered: readonly (readonly number[])[],
): SequenceCheck {
  const expected = new Set(inserted);
  const seen = new Map<number, number>();
  for (const ids of delivered) for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
  const lost = [...expected].filter((id) => !seen.has(id));
  const duplicated: number[] = [];
  const unexpected: number[] = [];
  for (const [id, count] of seen) {
    for (let extra = 1; extra < count; extra++) duplicated.push(id);
    if (!expected.has(id)) unexpected.push(id);
  }
  return { lost, duplicated, unexpected };
}
