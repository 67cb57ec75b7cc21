/**
 * A rule of the export domain was broken (a bad identifier, a template that escapes its
 * directory, a value the CSV dialect cannot represent). Permanent: retrying cannot help.
 * The application layer translates it into the runtime's `AppError` (domain code imports no
 * package but the contracts). Messages name the offending field, never a row value.
 */
export class DomainError extends Error {
  readonly code: string;
  readonly field: string | undefined;
  readonly retryable = false;

  constructor(code: string, message: string, field?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DomainError';
    this.code = code;
    this.field = field;
  }
}
