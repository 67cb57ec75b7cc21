/** Keys whose values are always secret, compared after lower-casing and dropping `_`, `-` and `.`. */
const secretKeyFragments = [
  'password',
  'passwd',
  'passphrase',
  'privatekey',
  'secret',
  'webhook',
  'credential',
];
const secretKeySuffixes = ['token', 'authorization', 'apikey', 'cookie', 'pwd'];
/** Short names that are secrets only as a whole key (nodemailer's `auth.pass`). */
const secretKeys = new Set(['pass', 'pw']);

/** True when a property with this name holds a secret, at any depth (`password`, `SFTP_PASSWORD`, `webhookUrl`, …). */
export function isSecretKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[_.-]/g, '');
  return (
    secretKeys.has(normalized) ||
    secretKeyFragments.some((fragment) => normalized.includes(fragment)) ||
    secretKeySuffixes.some((suffix) => normalized.endsWith(suffix))
  );
}

export const REDACTED = '[REDACTED]';

const stringPatterns: ReadonlyArray<readonly [RegExp, string]> = [
  // PEM private keys (RSA, EC, OPENSSH, ENCRYPTED, …), also when cut off before the END line.
  [
    /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    '[REDACTED PRIVATE KEY]',
  ],
  // Slack incoming-webhook URLs: the path is the credential.
  [/https?:\/\/hooks\.slack\.com\/[^\s"'<>)]*/gi, `https://hooks.slack.com/${REDACTED}`],
  // user:password@ in any URL.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@"'<>]+:[^/\s@"'<>]*@/gi, `$1${REDACTED}@`],
  // password=…, secret: …, token=… in messages, query strings and connection strings.
  [
    /\b(pass(?:word|wd|phrase)?|pwd|secret|(?:access|refresh|id)?_?token|api[_-]?key)(["']?\s*[=:]\s*["']?)[^\s&"',;}]+/gi,
    `$1$2${REDACTED}`,
  ],
  // Authorization header values.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`],
];

/** Replaces secrets that appear inside free text: PEM private keys, Slack webhook URLs, URL credentials, `password=…`. */
export function redactString(text: string): string {
  let result = text;
  for (const [pattern, replacement] of stringPatterns) {
    result = result.replace(pattern, replacement);
  }
  return result;
}
