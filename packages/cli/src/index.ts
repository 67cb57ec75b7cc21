export { processContext } from './cli/cli-context.js';
export type { CliContext, CliIo } from './cli/cli-context.js';
export { ExitCode } from './cli/exit-codes.js';
export { buildProgram, runCli } from './cli/run-cli.js';
export { hostKeyFingerprint, probeDestination } from './probe/probe-destination.js';
export type { ProbeCheck, ProbeReport } from './probe/probe-destination.js';
export { replayAttributes, replayDeadLetters } from './replay/replay-dead-letters.js';
export type { ReplayOptions, ReplayReport } from './replay/replay-dead-letters.js';
