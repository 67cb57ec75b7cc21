import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { IdTokenIssuer } from '@bq-sftp-export/local-pubsub';
import type { CertificateServer, IdTokenClaims } from '@bq-sftp-export/local-pubsub';

import { Outcome } from '../handler.js';
import { envelope, post, running, startPushServer } from '../testing/push-server-kit.js';
import { OidcPushAuthenticator } from './oidc-push-authenticator.js';

const AUDIENCE = 'https://bqx-uploader.example.run.app';
const PUSH_ACCOUNT = 'bqx-push-invoker@proj.iam.gserviceaccount.com';

/** Google's stand-in: signs tokens and serves its public key as `{kid: pem}` over real HTTP. */
const google = new IdTokenIssuer();
/** Someone else's key pair: its tokens must not verify. */
const stranger = new IdTokenIssuer();
let certificates: CertificateServer;

beforeAll(async () => {
  certificates = await google.serveCertificates();
});
afterAll(() => certificates.stop());
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop(0)));
});

async function startVerifying(certificatesUrl = certificates.url) {
  const handled: string[] = [];
  const started = await startPushServer(
    (job) => {
      handled.push(job.action);
      return Promise.resolve(Outcome.ack());
    },
    {
      authenticator: new OidcPushAuthenticator({
        audience: AUDIENCE,
        serviceAccount: PUSH_ACCOUNT,
        certificatesUrl,
      }),
    },
  );
  const deliver = (authorization?: string) =>
    post(started.base, envelope('{"action":"ack"}'), authorization === undefined ? {} : { authorization });
  const refusals = () =>
    started.capture
      .entries()
      .filter((entry) => entry['message'] === 'push request refused')
      .map((entry) => entry['reason']);
  return { ...started, handled, deliver, refusals };
}

function claims(overrides: Partial<IdTokenClaims> = {}): IdTokenClaims {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'https://accounts.google.com',
    aud: AUDIENCE,
    email: PUSH_ACCOUNT,
    email_verified: true,
    sub: '1234567890',
    iat: now,
    exp: now + 3600,
    ...overrides,
  };
}

describe('OidcPushAuthenticator behind a real PushServer', () => {
  it('accepts the token Pub/Sub push sends (either Google issuer): 204, handled', async () => {
    const { deliver, handled } = await startVerifying();
    expect((await deliver(`Bearer ${google.pushToken(PUSH_ACCOUNT, AUDIENCE)}`)).status).toBe(204);
    expect((await deliver(`Bearer ${google.sign(claims({ iss: 'accounts.google.com' }))}`)).status).toBe(204);
    expect(handled).toEqual(['ack', 'ack']);
  });

  it('refuses a request without a token with 401, the handler not run', async () => {
    const { deliver, handled, refusals } = await startVerifying();
    const response = await deliver();
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect((await deliver('Basic dXNlcjpwYXNz')).status).toBe(401);
    expect((await deliver('Bearer not-a-jwt')).status).toBe(401);
    expect(handled).toEqual([]);
    expect(refusals()).toEqual([
      'no Authorization header',
      'Authorization is not a Bearer token',
      'token is not a JWT',
    ]);
  });

  it.each([
    [
      'another audience',
      claims({ aud: 'https://someone-else.run.app' }),
      401,
      'token audience is not PUSH_AUDIENCE',
    ],
    [
      'another identity',
      claims({ email: 'intruder@proj.iam.gserviceaccount.com' }),
      403,
      'token email is not the push service account',
    ],
    ['email_verified false', claims({ email_verified: false }), 403, 'token email is not verified'],
    ['expired (past the 5 min skew)', claims({ iat: 1_000, exp: 4_600 }), 401, 'token has expired'],
    ['another issuer', claims({ iss: 'https://evil.example' }), 401, 'token issuer is not Google'],
  ])('refuses a token with %s, the handler not run', async (_case, tokenClaims, status, reason) => {
    const { deliver, handled, refusals } = await startVerifying();
    expect((await deliver(`Bearer ${google.sign(tokenClaims)}`)).status).toBe(status);
    expect(handled).toEqual([]);
    expect(refusals()).toEqual([reason]);
  });

  it('refuses a token signed with another key (same kid, or an unknown one), the handler not run', async () => {
    const { deliver, handled, refusals, capture } = await startVerifying();
    const forged = stranger.sign(claims(), google.kid);
    expect((await deliver(`Bearer ${forged}`)).status).toBe(401);
    expect((await deliver(`Bearer ${stranger.sign(claims())}`)).status).toBe(401);
    const [header, payload] = google.sign(claims()).split('.');
    expect((await deliver(`Bearer ${header}.${payload}.`)).status).toBe(401);
    expect(handled).toEqual([]);
    expect(refusals()).toEqual([
      'token signature is invalid',
      'token signed with an unknown key',
      'token signature is invalid',
    ]);
    expect(capture.text()).not.toContain(forged.split('.')[2]);
    expect(capture.text()).not.toContain(PUSH_ACCOUNT);
  });

  it('answers 503 (Pub/Sub retries) when the signing keys cannot be fetched', async () => {
    const down = await new IdTokenIssuer().serveCertificates();
    await down.stop();
    const { deliver, handled, refusals } = await startVerifying(down.url);
    expect((await deliver(`Bearer ${google.pushToken(PUSH_ACCOUNT, AUDIENCE)}`)).status).toBe(503);
    expect(handled).toEqual([]);
    expect(refusals()).toEqual(['signing keys unavailable']);
  });
});
