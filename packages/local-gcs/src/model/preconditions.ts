/** The generation preconditions of the JSON API, already parsed to numbers. */
export interface Preconditions {
  readonly ifGenerationMatch?: number;
  readonly ifGenerationNotMatch?: number;
  readonly ifMetagenerationMatch?: number;
  readonly ifMetagenerationNotMatch?: number;
}

interface Versioned {
  readonly generation: number;
  readonly metageneration: number;
}

/**
 * Whether the preconditions hold for the current live version (undefined = no object).
 * `ifGenerationMatch: 0` means "must not exist"; `ifGenerationNotMatch: 0` means "must exist".
 */
export function preconditionsHold(current: Versioned | undefined, conditions: Preconditions): boolean {
  const { ifGenerationMatch, ifGenerationNotMatch, ifMetagenerationMatch, ifMetagenerationNotMatch } =
    conditions;
  const generation = current?.generation ?? 0;
  if (ifGenerationMatch !== undefined && generation !== ifGenerationMatch) return false;
  if (ifGenerationNotMatch !== undefined && generation === ifGenerationNotMatch) return false;
  if (ifMetagenerationMatch !== undefined && current?.metageneration !== ifMetagenerationMatch) return false;
  if (ifMetagenerationNotMatch !== undefined && current?.metageneration === ifMetagenerationNotMatch)
    return false;
  return true;
}

/** Reads preconditions from query parameters, optionally with a prefix (`ifSourceGenerationMatch`). */
export function preconditionsFrom(query: URLSearchParams, prefix = 'if'): Preconditions {
  const read = (name: string): number | undefined => {
    const raw = query.get(`${prefix}${name}`);
    if (raw === null || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`${prefix}${name} must be a non-negative integer`);
    return value;
  };
  return omitUndefined({
    ifGenerationMatch: read('GenerationMatch'),
    ifGenerationNotMatch: read('GenerationNotMatch'),
    ifMetagenerationMatch: read('MetagenerationMatch'),
    ifMetagenerationNotMatch: read('MetagenerationNotMatch'),
  });
}

function omitUndefined<T extends object>(value: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
