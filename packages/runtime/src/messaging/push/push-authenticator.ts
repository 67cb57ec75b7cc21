import type { IncomingHttpHeaders } from 'node:http';

/** The verdict on a push request: refused ones are answered `status` and never reach the handler. */
export type PushAuthentication =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** 401: no or invalid token; 403: a valid token of another identity; 503: keys unavailable (retry). */
      readonly status: 401 | 403 | 503;
      /** A fixed phrase for the log (never the token). */
      readonly reason: string;
    };

/** Decides, from its headers alone, whether a push request may be processed (its body is not read first). */
export interface PushAuthenticator {
  authenticate(headers: IncomingHttpHeaders): Promise<PushAuthentication>;
}

/** Accepts every request: `PUSH_AUTH=none`, for local runs and tests only. */
export const allowUnauthenticatedPush: PushAuthenticator = Object.freeze({
  authenticate: () => Promise.resolve({ ok: true } as const),
});
