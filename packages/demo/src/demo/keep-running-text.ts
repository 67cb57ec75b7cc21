import path from 'node:path';

import type { DemoStack } from '../stack/demo-stack.js';

const shellQuote = (value: string): string =>
  /^[\w@%+=:,./-]*$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * For the keep-running mode: the environment block that points `bq-sftp` (and anything using
 * the Google clients) at the running stack, or that block with the commands to try. The SFTP
 * password is the local server's own, generated at start; nothing else secret is in it.
 */
export function keepRunningText(
  stack: DemoStack,
  what: 'env' | 'instructions',
  resendExample?: { readonly runId: string; readonly exportName: string },
): string {
  const env = Object.entries(stack.env)
    .filter(([name]) => name !== 'PORT' && name !== 'LOG_LEVEL')
    .map(([name, value]) => `export ${name}=${shellQuote(value)}`)
    .join('\n');
  if (what === 'env') return `${env}\n`;
  const envFile = path.join(path.dirname(stack.configDirectory), 'demo.env');
  return [
    '',
    'The stack keeps running (Ctrl-C stops it). In another shell, from the repository root:',
    '',
    `  source ${envFile}    # or paste:`,
    ...env.split('\n').map((line) => `  ${line}`),
    '',
    '  node packages/cli/dist/main.js history',
    '  node packages/cli/dist/main.js trigger --config default',
    '  node packages/cli/dist/main.js trigger --config default --full',
    `  node packages/cli/dist/main.js resend --run ${resendExample?.runId ?? '<run id from history>'} --export ${resendExample?.exportName ?? 'shopify_customers'}`,
    '  node packages/cli/dist/main.js replay --subscription ops.file-ready.dead-letter --dry-run',
    '',
    `Delivered files: ${stack.deliveryDirectory}; logs: ${stack.logDirectory}`,
  ].join('\n');
}
