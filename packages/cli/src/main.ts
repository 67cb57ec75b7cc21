#!/usr/bin/env node
import { processContext } from './cli/cli-context.js';
import { runCli } from './cli/run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), processContext());
