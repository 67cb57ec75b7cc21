import type { LogDestination } from './create-logger.js';

/** A log destination that keeps every line in memory, for tests. */
export class LogCapture implements LogDestination {
  readonly lines: string[] = [];

  write(line: string): void {
    for (const part of line.split('\n')) {
      if (part.length > 0) this.lines.push(part);
    }
  }

  /** Every line parsed as JSON. */
  entries(): Array<Record<string, unknown>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** All lines joined, for "never appears" assertions. */
  text(): string {
    return this.lines.join('\n');
  }
}
