/** Sizes and repeat counts of one benchmark run. */
export interface BenchSettings {
  readonly quick: boolean;
  /** Runs per figure; each figure is their median. */
  readonly runs: number;
  /** Bytes of the SFTP upload file. */
  readonly sftpBytes: number;
  /** Rows of the CSV stage and the encoder memory check. */
  readonly rows: number;
  /** Rows whose CSV the gzip stage compresses (level 6 runs at ~20 MB/s here: kept small). */
  readonly gzipRows: number;
  /** Rows of the Parquet stage (fewer in quick mode: the JS writer is the slowest stage). */
  readonly parquetRows: number;
  /**
   * Rows of the end-to-end stage, or 0 to skip it (quick mode: starting the local stack alone
   * takes ~15 s). 250k in a full run: reading 1M rows from the local BigQuery takes ~2 min a run here.
   */
  readonly e2eRows: number;
  /** Rows of the BigQuery read stage (the local BigQuery, REST pages and the Storage Read API). */
  readonly readRows: number;
  /** Small files announced one by one in the event-latency stage. */
  readonly latencyFiles: number;
  /** Output sizes of the uploader memory check. */
  readonly memoryBytes: readonly number[];
  /** A scratch directory (in memory when /dev/shm exists: the bench measures code, not disks). */
  readonly dir: string;
  /** Where the OpenSSH test servers put their directories: sshd's StrictModes wants a root-owned, world-traversable parent. */
  readonly serverDir: string;
}

const MiB = 2 ** 20;

export function benchSettings(options: {
  quick: boolean;
  dir: string;
  serverDir: string;
  scale?: number;
}): BenchSettings {
  const scale = options.scale ?? 1;
  const sized = (n: number) => Math.max(1, Math.round(n * scale));
  return options.quick
    ? {
        quick: true,
        runs: 3,
        sftpBytes: sized(32 * MiB),
        rows: sized(100_000),
        parquetRows: sized(20_000),
        gzipRows: sized(40_000),
        readRows: sized(100_000),
        latencyFiles: 10,
        e2eRows: 0,
        memoryBytes: [sized(100e6)],
        dir: options.dir,
        serverDir: options.serverDir,
      }
    : {
        quick: false,
        runs: 3,
        sftpBytes: sized(1024 * MiB),
        rows: sized(1_000_000),
        parquetRows: sized(1_000_000),
        gzipRows: sized(250_000),
        readRows: sized(1_000_000),
        latencyFiles: 50,
        e2eRows: sized(250_000),
        memoryBytes: [sized(100e6), sized(2e9)],
        dir: options.dir,
        serverDir: options.serverDir,
      };
}
