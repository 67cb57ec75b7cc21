import { isAppError } from '../errors/app-error.js';
import { REDACTED, isSecretKey, redactString } from './secret-patterns.js';

const maxDepth = 8;
const maxArrayItems = 50;
const maxStringLength = 8_192;
const handledErrorKeys = new Set(['name', 'message', 'stack', 'cause']);

/**
 * Turns anything into a JSON-safe value for a log line: secrets removed by key at any depth and
 * by pattern inside strings, errors serialised with their cause chain and own properties (which
 * some clients fill with their connection config), binary data reduced to its size, cycles cut.
 */
export function toSafeLogValue(value: unknown): unknown {
  return convert(value, 0, new WeakSet());
}

/** An error as a plain, redacted object: type, message, code, retryable, stack, own fields and causes. */
export function serializeError(error: unknown): unknown {
  return convert(error, 0, new WeakSet());
}

function convert(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') {
    const text = value.length > maxStringLength ? `${value.slice(0, maxStringLength)}…[truncated]` : value;
    return redactString(text);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[binary ${value.byteLength} bytes]`;
  if (seen.has(value)) return '[Circular]';
  if (depth >= maxDepth) return '[Truncated]';
  seen.add(value);
  try {
    if (value instanceof Error) return convertError(value, depth, seen);
    if (Array.isArray(value)) {
      const items = value.slice(0, maxArrayItems).map((item: unknown) => convert(item, depth + 1, seen));
      return value.length > maxArrayItems ? [...items, `…${value.length - maxArrayItems} more`] : items;
    }
    if (value instanceof Map)
      return convertEntries(
        [...value.entries()].map(([k, v]) => [String(k), v]),
        depth,
        seen,
      );
    if (value instanceof Set) return convert([...value], depth, seen);
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function' && !isPlainObject(value)) {
      return convert((value as { toJSON: () => unknown }).toJSON(), depth + 1, seen);
    }
    return convertEntries(Object.entries(value), depth, seen);
  } finally {
    seen.delete(value);
  }
}

function convertEntries(
  entries: Array<[string, unknown]>,
  depth: number,
  seen: WeakSet<object>,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    if (isSecretKey(key)) {
      result[key] = REDACTED;
      continue;
    }
    const converted = convert(item, depth + 1, seen);
    if (converted !== undefined) result[key] = converted;
  }
  return result;
}

function convertError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const result: Record<string, unknown> = {
    type: error.name,
    message: redactString(error.message),
  };
  // Own enumerable properties first (code, errno, and whatever a client attached, e.g. its config).
  const own = Object.entries(error).filter(([key]) => !handledErrorKeys.has(key));
  Object.assign(result, convertEntries(own, depth, seen));
  if (isAppError(error)) {
    result['code'] = error.code;
    result['retryable'] = error.retryable;
    if (Object.keys(error.details).length === 0) delete result['details'];
  }
  if (typeof error.stack === 'string') result['stack'] = redactString(error.stack);
  if (error.cause !== undefined) result['cause'] = convert(error.cause, depth + 1, seen);
  if (error instanceof AggregateError) result['errors'] = convert(error.errors, depth + 1, seen);
  return result;
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
