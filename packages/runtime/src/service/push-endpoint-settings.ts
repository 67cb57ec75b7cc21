import { isIP } from 'node:net';

import { DEFAULT_PUSH_ACK_DEADLINE_SECONDS } from '../messaging/push/push-server.js';
import { environmentValue as value } from './environment-value.js';

/** How push requests are authenticated. */
export type PushAuthSettings =
  | {
      /** Verify the Google-signed OIDC token Pub/Sub push sends (the default). */
      readonly mode: 'oidc';
      /** `PUSH_AUDIENCE`: the token's required `aud` (the subscription's `oidcToken.audience`). */
      readonly audience: string;
      /** `PUSH_SERVICE_ACCOUNT`: the required `email` (the subscription's `oidcToken.serviceAccountEmail`). */
      readonly serviceAccount: string;
    }
  /** `PUSH_AUTH=none`: no check, for local runs only (refused on Cloud Run). */
  | { readonly mode: 'none' };

/** Where the HTTP endpoint listens and who may call it. */
export interface PushEndpointSettings {
  /** `BIND_HOST`: the interface the push / health endpoint listens on. */
  readonly bindHost: string;
  /** `PUSH_AUTH`, `PUSH_AUDIENCE`, `PUSH_SERVICE_ACCOUNT`; `none` when the transport is pull. */
  readonly pushAuth: PushAuthSettings;
  /**
   * `PUSH_ACK_DEADLINE_SECONDS`: the push subscription's ack deadline, Pub/Sub's timeout for each
   * push request (10 to 600, default 600); the push transport logs a delivery outlasting it.
   */
  readonly pushAckDeadlineSeconds: number;
}

type Environment = Readonly<Record<string, string | undefined>>;

/** All interfaces: Cloud Run (and any container) delivers to `$PORT` from outside the loopback. */
export const CLOUD_RUN_BIND_HOST = '0.0.0.0';
/** Loopback: a service started on a workstation is not reachable from the network. */
export const LOCAL_BIND_HOST = '127.0.0.1';

const hostname =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const serviceAccountEmail = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * Reads `BIND_HOST`, `PUSH_AUTH`, `PUSH_AUDIENCE`, `PUSH_SERVICE_ACCOUNT` and
 * `PUSH_ACK_DEADLINE_SECONDS` (empty counts as
 * unset). Secure by default: with `TRANSPORT=push` the audience and service account are required
 * unless `PUSH_AUTH=none`, and `none` is refused on Cloud Run (`K_SERVICE` set). `BIND_HOST`
 * defaults to `0.0.0.0` on Cloud Run and to `127.0.0.1` elsewhere. Problems are
 * `VARIABLE: what is expected`, without the value (the config package reports them too, and
 * it never repeats a value).
 */
export function readPushEndpointSettings(environment: Environment): {
  readonly settings: PushEndpointSettings;
  readonly problems: readonly string[];
} {
  const problems: string[] = [];
  const onCloudRun = value(environment, 'K_SERVICE') !== undefined;
  const bindHost = value(environment, 'BIND_HOST') ?? (onCloudRun ? CLOUD_RUN_BIND_HOST : LOCAL_BIND_HOST);
  if (isIP(bindHost) === 0 && !hostname.test(bindHost)) {
    problems.push('BIND_HOST: expected an IP address or host name');
  }
  const mode = value(environment, 'PUSH_AUTH') ?? 'oidc';
  const audience = value(environment, 'PUSH_AUDIENCE');
  const serviceAccount = value(environment, 'PUSH_SERVICE_ACCOUNT');
  if (mode !== 'oidc' && mode !== 'none') problems.push('PUSH_AUTH: expected oidc or none');
  if (mode === 'none' && onCloudRun) {
    problems.push('PUSH_AUTH: none is for local runs and must not be set on Cloud Run (K_SERVICE is set)');
  }
  if (audience !== undefined && /\s/.test(audience)) {
    problems.push('PUSH_AUDIENCE: expected the token audience (a URL or string without spaces)');
  }
  if (serviceAccount !== undefined && !serviceAccountEmail.test(serviceAccount)) {
    problems.push('PUSH_SERVICE_ACCOUNT: expected a service account email');
  }
  const deadlineText = value(environment, 'PUSH_ACK_DEADLINE_SECONDS');
  const pushAckDeadlineSeconds =
    deadlineText === undefined ? DEFAULT_PUSH_ACK_DEADLINE_SECONDS : Number(deadlineText);
  if (
    !Number.isInteger(pushAckDeadlineSeconds) ||
    pushAckDeadlineSeconds < 10 ||
    pushAckDeadlineSeconds > 600
  ) {
    problems.push(
      'PUSH_ACK_DEADLINE_SECONDS: expected whole seconds from 10 to 600 (the subscription ack deadline)',
    );
  }
  const push = (value(environment, 'TRANSPORT') ?? 'pull') === 'push';
  if (push && mode === 'oidc') {
    if (audience === undefined)
      problems.push('PUSH_AUDIENCE: required with TRANSPORT=push (or set PUSH_AUTH=none for local runs)');
    if (serviceAccount === undefined)
      problems.push(
        'PUSH_SERVICE_ACCOUNT: required with TRANSPORT=push (or set PUSH_AUTH=none for local runs)',
      );
  }
  const pushAuth: PushAuthSettings =
    push && mode === 'oidc' && audience !== undefined && serviceAccount !== undefined
      ? { mode: 'oidc', audience, serviceAccount: serviceAccount.toLowerCase() }
      : { mode: 'none' };
  return {
    settings: Object.freeze({ bindHost, pushAuth: Object.freeze(pushAuth), pushAckDeadlineSeconds }),
    problems,
  };
}
