import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';

/** The claims of a Google-style ID token; `iat`/`exp` in seconds since the epoch. */
export interface IdTokenClaims {
  readonly iss?: string;
  readonly aud?: string;
  readonly email?: string;
  readonly email_verified?: boolean;
  readonly sub?: string;
  readonly iat?: number;
  readonly exp?: number;
}

export interface CertificateServer {
  /** `http://127.0.0.1:PORT/oauth2/v1/certs`: `{kid: pem}`, the shape of Google's PEM endpoint. */
  readonly url: string;
  stop(): Promise<void>;
}

const TOKEN_LIFETIME_SECONDS = 3600;

/**
 * Mints RS256 ID tokens shaped like the ones Google signs for Pub/Sub push (issuer
 * `https://accounts.google.com`, one hour), with a key pair of its own, and publishes the
 * public key as Google does (`{kid: pem}`), so a verifier pointed at `serveCertificates()`
 * accepts them. For the local cloud and tests; it proves nothing to anyone else.
 */
export class IdTokenIssuer {
  readonly kid = randomUUID();
  readonly #privateKey: KeyObject;
  readonly #publicPem: string;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.#privateKey = privateKey;
    this.#publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  /** The token Pub/Sub push sends for a subscription's `oidcToken`. */
  pushToken(serviceAccountEmail: string, audience: string, nowMs = Date.now()): string {
    const iat = Math.floor(nowMs / 1000);
    return this.sign({
      iss: 'https://accounts.google.com',
      aud: audience,
      email: serviceAccountEmail,
      email_verified: true,
      sub: serviceAccountEmail,
      iat,
      exp: iat + TOKEN_LIFETIME_SECONDS,
    });
  }

  /** Signs any claims as given (tests use it for expired or foreign tokens); `kid` overrides the header's. */
  sign(claims: IdTokenClaims, kid: string = this.kid): string {
    const header = { alg: 'RS256', typ: 'JWT', kid };
    const signed = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(signed).end().sign(this.#privateKey);
    return `${signed}.${signature.toString('base64url')}`;
  }

  /** The public keys by `kid`, as Google's `oauth2/v1/certs` lists them. */
  certificates(): Record<string, string> {
    return { [this.kid]: this.#publicPem };
  }

  /** Serves `certificates()` over HTTP on the loopback (`Cache-Control: max-age=300`, like Google). */
  async serveCertificates(): Promise<CertificateServer> {
    const body = JSON.stringify(this.certificates());
    const server = createServer((request, response) => {
      if (request.method !== 'GET') return void response.writeHead(405).end();
      response
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' })
        .end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    return {
      url: `http://127.0.0.1:${port}/oauth2/v1/certs`,
      stop: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}
