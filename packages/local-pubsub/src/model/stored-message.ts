/** A message as the server keeps it after Publish. */
export interface StoredMessage {
  readonly messageId: string;
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  readonly orderingKey: string;
  /** Milliseconds since the epoch. */
  readonly publishTime: number;
}

/** Approximate wire size, used for byte-based flow control. */
export function messageSize(message: StoredMessage): number {
  let size = message.data.length + message.orderingKey.length;
  for (const [key, value] of Object.entries(message.attributes)) size += key.length + value.length;
  return size;
}
