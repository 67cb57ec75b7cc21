const REDACTED = '[redacted]';
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * A secret value (password, private key, webhook URL). It never shows itself: `JSON.stringify`,
 * `String()`, template literals and `util.inspect` all print `[redacted]`. Only `reveal()` —
 * called at the point of use, e.g. handing the password to the SFTP client — returns it.
 */
export class Secret {
  readonly #value: string;
  /** The environment variable it came from: safe to log. */
  readonly source: string;

  constructor(source: string, value: string) {
    this.source = source;
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [inspectSymbol](): string {
    return `Secret(${this.source}: ${REDACTED})`;
  }
}
