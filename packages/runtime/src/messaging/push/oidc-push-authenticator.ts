import type { IncomingHttpHeaders } from 'node:http';
import { OAuth2Client } from 'google-auth-library';

import type { PushAuthentication, PushAuthenticator } from './push-authenticator.js';

/** The issuers of Google-signed ID tokens (what Pub/Sub push sends). */
export const GOOGLE_ID_TOKEN_ISSUERS: readonly string[] = [
  'accounts.google.com',
  'https://accounts.google.com',
];

export interface OidcPushAuthenticatorOptions {
  /** The required `aud`: the push subscription's `oidcToken.audience`. */
  readonly audience: string;
  /** The required `email` (with `email_verified`): the subscription's `oidcToken.serviceAccountEmail`. */
  readonly serviceAccount: string;
  /**
   * Where the signing keys are fetched (PEM, `{kid: pem}`, cached per `Cache-Control`); default
   * Google's `https://www.googleapis.com/oauth2/v1/certs`. Tests and the local cloud serve their own.
   */
  readonly certificatesUrl?: string;
}

/**
 * Verifies the `Authorization: Bearer <id token>` of a Pub/Sub push request with
 * google-auth-library: signature against Google's keys, `iss`, `exp`/`iat` (5 min skew), `aud`,
 * then `email` = the push service account and `email_verified`. Never returns the token or the
 * library's message (which quotes it): reasons are fixed phrases.
 */
export class OidcPushAuthenticator implements PushAuthenticator {
  readonly #client: OAuth2Client;
  readonly #audience: string;
  readonly #serviceAccount: string;

  constructor(options: OidcPushAuthenticatorOptions) {
    this.#audience = options.audience;
    this.#serviceAccount = options.serviceAccount.toLowerCase();
    this.#client = new OAuth2Client({
      issuers: [...GOOGLE_ID_TOKEN_ISSUERS],
      ...(options.certificatesUrl === undefined
        ? {}
        : { endpoints: { oauth2FederatedSignonPemCertsUrl: options.certificatesUrl } }),
    });
  }

  async authenticate(headers: IncomingHttpHeaders): Promise<PushAuthentication> {
    const match = /^Bearer +([A-Za-z0-9_.-]+=*) *$/i.exec(headers.authorization ?? '');
    if (match === null) {
      return refused(
        401,
        headers.authorization === undefined
          ? 'no Authorization header'
          : 'Authorization is not a Bearer token',
      );
    }
    let payload;
    try {
      const ticket = await this.#client.verifyIdToken({ idToken: match[1]!, audience: this.#audience });
      payload = ticket.getPayload();
    } catch (error) {
      return rejection(error);
    }
    if (payload?.email?.toLowerCase() !== this.#serviceAccount) {
      return refused(403, 'token email is not the push service account');
    }
    if (payload.email_verified !== true) return refused(403, 'token email is not verified');
    return { ok: true };
  }
}

function refused(status: 401 | 403 | 503, reason: string): PushAuthentication {
  return { ok: false, status, reason };
}

/** google-auth-library's errors, reduced to a phrase (their messages contain the token). */
const rejections: ReadonlyArray<readonly [RegExp, string]> = [
  [/^Failed to retrieve verification certificates/, 'signing keys unavailable'],
  [/^Wrong number of segments|^Can't parse token/, 'token is not a JWT'],
  [/^No pem found/, 'token signed with an unknown key'],
  [/^Invalid token signature/, 'token signature is invalid'],
  [/^No issue time|^No expiration time|field using invalid format/, 'token lacks iat or exp'],
  [/^Expiration time too far/, 'token lifetime is too long'],
  [/^Token used too early/, 'token is not valid yet'],
  [/^Token used too late/, 'token has expired'],
  [/^Invalid issuer/, 'token issuer is not Google'],
  [/^Wrong recipient/, 'token audience is not PUSH_AUDIENCE'],
];

function rejection(error: unknown): PushAuthentication {
  const message = error instanceof Error ? error.message : '';
  const reason = rejections.find(([pattern]) => pattern.test(message))?.[1] ?? 'token rejected';
  // Keys that cannot be fetched are our problem, not the caller's: 503 so Pub/Sub retries.
  return refused(reason === 'signing keys unavailable' ? 503 : 401, reason);
}
