export interface SshdConfigInput {
  readonly port: number;
  readonly hostKeyFile: string;
  readonly pidFile: string;
  readonly authorizedKeysFile: string;
  readonly username: string;
  /** The directory sessions start in, as the client sees it (inside the chroot when there is one). */
  readonly startDirectory: string;
  /** Jails every session in this directory (`ChrootDirectory`); undefined: no jail. */
  readonly chrootDirectory: string | undefined;
  readonly passwordAuthentication: boolean;
  readonly keyboardInteractive: boolean;
  readonly extraConfig: readonly string[];
}

/**
 * An sshd_config for a throw-away SFTP-only server on 127.0.0.1: one allowed user, sessions
 * forced into `internal-sftp` starting in the test's root directory (optionally chrooted), no
 * shell, no forwarding.
 * PAM is used only when keyboard-interactive authentication is wanted (OpenSSH on Linux has
 * no other keyboard-interactive device).
 */
export function renderSshdConfig(input: SshdConfigInput): string {
  const yesNo = (value: boolean): string => (value ? 'yes' : 'no');
  return [
    `Port ${input.port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${input.hostKeyFile}`,
    `PidFile ${input.pidFile}`,
    `UsePAM ${yesNo(input.keyboardInteractive)}`,
    'StrictModes no',
    'PubkeyAuthentication yes',
    `PasswordAuthentication ${yesNo(input.passwordAuthentication)}`,
    `KbdInteractiveAuthentication ${yesNo(input.keyboardInteractive)}`,
    `AuthorizedKeysFile ${input.authorizedKeysFile}`,
    `AllowUsers ${input.username}`,
    'PermitRootLogin no',
    'PermitEmptyPasswords no',
    'MaxAuthTries 10',
    'MaxStartups 100:30:200',
    'MaxSessions 20',
    'LoginGraceTime 60',
    'AllowTcpForwarding no',
    'AllowAgentForwarding no',
    'X11Forwarding no',
    'PermitTTY no',
    'PrintMotd no',
    'UseDNS no',
    'LogLevel VERBOSE',
    'Subsystem sftp internal-sftp',
    ...input.extraConfig,
    // Match-free and last, so ChrootDirectory and ForceCommand apply to every session.
    ...(input.chrootDirectory === undefined ? [] : [`ChrootDirectory ${input.chrootDirectory}`]),
    `ForceCommand internal-sftp -d ${input.startDirectory}`,
    '',
  ].join('\n');
}
