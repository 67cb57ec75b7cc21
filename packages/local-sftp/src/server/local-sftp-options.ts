/** One account of the embedded server. */
export interface LocalSftpUser {
  readonly username: string;
  /** Accepted password; absent = password authentication refused for this user. */
  readonly password?: string;
  /** Accepted public keys in OpenSSH `authorized_keys` format (`ssh-ed25519 AAAA… comment`). */
  readonly publicKeys?: readonly string[];
}

export interface LocalSftpOptions {
  /** Directory every user is jailed to; it is the `/` they see. Must exist. */
  readonly root: string;
  readonly users: readonly LocalSftpUser[];
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Address to listen on; `127.0.0.1` by default. */
  readonly host?: string;
  /** Host private key (PEM or OpenSSH format); a fresh Ed25519 key when absent. */
  readonly hostKey?: string | Buffer;
}

/** A running embedded SFTP server. */
export interface LocalSftp {
  readonly host: string;
  readonly port: number;
  /** `SHA256:…`, as `ssh-keygen -lf` prints it; pin it in clients. */
  readonly hostKeyFingerprint: string;
  /** Disconnects every client and stops listening. */
  stop(): Promise<void>;
}
