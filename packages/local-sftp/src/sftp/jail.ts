import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';

/** Raised when a client path would leave the user's root; answered with PERMISSION_DENIED. */
export class JailEscapeError extends Error {
  readonly code = 'EJAILESCAPE';
  constructor(virtualPath: string) {
    super(`path escapes the root: ${virtualPath}`);
    this.name = 'JailEscapeError';
  }
}

/**
 * Maps the client's paths (absolute in a virtual tree whose "/" is the user's root, or relative
 * to "/") onto the local directory, refusing any path that climbs above the root with `..` or
 * leaves it through a symbolic link. Checks happen before each operation, so a link swapped in
 * between the check and the operation is not caught: good enough for a test server, not for
 * hostile users.
 */
export class Jail {
  private constructor(private readonly realRoot: string) {}

  static async open(root: string): Promise<Jail> {
    return new Jail(await realpath(root));
  }

  /** Normalises a client path to the virtual absolute path; refuses `..` above "/". */
  virtualPath(clientPath: string): string {
    const segments: string[] = [];
    for (const segment of clientPath.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') {
        if (segments.length === 0) throw new JailEscapeError(clientPath);
        segments.pop();
      } else {
        segments.push(segment);
      }
    }
    return `/${segments.join('/')}`;
  }

  /** The local path of `clientPath`, following a final symbolic link (open, stat, opendir). */
  async resolve(clientPath: string): Promise<string> {
    const local = this.lexicalLocalPath(clientPath);
    try {
      return this.inside(await realpath(local), clientPath);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    // Does not exist (yet): the parent must be inside, and the name must not be a dangling link.
    const target = await this.resolveEntry(clientPath);
    const existing = await lstat(target).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    if (existing?.isSymbolicLink()) throw new JailEscapeError(clientPath);
    return target;
  }

  /** The local path of the entry itself, not following a final link (lstat, remove, rename). */
  async resolveEntry(clientPath: string): Promise<string> {
    const local = this.lexicalLocalPath(clientPath);
    if (local === this.realRoot) return local;
    const parent = this.inside(await realpath(path.dirname(local)), clientPath);
    return path.join(parent, path.basename(local));
  }

  private lexicalLocalPath(clientPath: string): string {
    return path.join(this.realRoot, ...this.virtualPath(clientPath).split('/'));
  }

  private inside(localPath: string, clientPath: string): string {
    if (localPath === this.realRoot || localPath.startsWith(this.realRoot + path.sep)) return localPath;
    throw new JailEscapeError(clientPath);
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
