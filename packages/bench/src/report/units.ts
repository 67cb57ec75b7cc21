/** Bytes per second as MB/s (10^6 bytes). */
export const mbPerSecond = (bytes: number, seconds: number): number => bytes / seconds / 1e6;

export const formatMiB = (bytes: number): string =>
  bytes >= 2 ** 30 ? `${+(bytes / 2 ** 30).toFixed(2)} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`;

export const formatMB = (bytes: number): string =>
  bytes >= 1e9 ? `${+(bytes / 1e9).toFixed(1)} GB` : `${Math.round(bytes / 1e6)} MB`;

export const formatRows = (rows: number): string =>
  rows >= 1e6 ? `${+(rows / 1e6).toFixed(2)}M` : `${Math.round(rows / 1000)}k`;

export const formatRate = (perSecond: number): string =>
  perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)}M` : `${Math.round(perSecond / 1000)}k`;
