/** The little the SFTP adapter logs; the runtime's structured logger satisfies it. */
export interface SftpLogger {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
}
