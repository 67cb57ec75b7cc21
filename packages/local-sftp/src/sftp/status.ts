import ssh2 from 'ssh2';

const { STATUS_CODE } = ssh2.utils.sftp;

const byErrno: Readonly<Record<string, number>> = {
  ENOENT: STATUS_CODE.NO_SUCH_FILE,
  ENOTDIR: STATUS_CODE.NO_SUCH_FILE,
  EBADF: STATUS_CODE.NO_SUCH_FILE,
  ELOOP: STATUS_CODE.NO_SUCH_FILE,
  EPERM: STATUS_CODE.PERMISSION_DENIED,
  EACCES: STATUS_CODE.PERMISSION_DENIED,
  EFAULT: STATUS_CODE.PERMISSION_DENIED,
  EJAILESCAPE: STATUS_CODE.PERMISSION_DENIED,
  ENAMETOOLONG: STATUS_CODE.BAD_MESSAGE,
  EINVAL: STATUS_CODE.BAD_MESSAGE,
  ENOSYS: STATUS_CODE.OP_UNSUPPORTED,
};

/** The SFTP status for a failed file-system call, with the same errno mapping as OpenSSH's sftp-server. */
export function statusFor(error: unknown): { code: number; message: string } {
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  const code = (errno === undefined ? undefined : byErrno[errno]) ?? STATUS_CODE.FAILURE;
  return { code, message: messageFor(code) };
}

const messages: ReadonlyMap<number, string> = new Map([
  [STATUS_CODE.OK, 'Success'],
  [STATUS_CODE.EOF, 'End of file'],
  [STATUS_CODE.NO_SUCH_FILE, 'No such file'],
  [STATUS_CODE.PERMISSION_DENIED, 'Permission denied'],
  [STATUS_CODE.BAD_MESSAGE, 'Bad message'],
  [STATUS_CODE.OP_UNSUPPORTED, 'Operation unsupported'],
]);

/** The message OpenSSH sends with a status code. */
export function messageFor(code: number): string {
  return messages.get(code) ?? 'Failure';
}
