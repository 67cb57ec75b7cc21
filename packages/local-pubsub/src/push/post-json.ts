import http from 'node:http';
import https from 'node:https';

/**
 * POSTs a JSON body and resolves with the status code; rejects on a network error, a timeout or an
 * abort. One connection per request (no keep-alive), so nothing lingers after the server stops.
 */
export function postJson(
  endpoint: string,
  body: unknown,
  timeoutMs: number,
  signal: AbortSignal,
  headers: Readonly<Record<string, string>> = {},
): Promise<number> {
  const payload = Buffer.from(JSON.stringify(body));
  const url = new URL(endpoint);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        agent: false,
        signal,
        timeout: timeoutMs,
        headers: {
          'content-type': 'application/json',
          'content-length': payload.length,
          'user-agent': 'APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)',
          connection: 'close',
          ...headers,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('timeout', () =>
      request.destroy(new Error(`push endpoint did not answer within ${timeoutMs} ms`)),
    );
    request.on('error', reject);
    request.end(payload);
  });
}
