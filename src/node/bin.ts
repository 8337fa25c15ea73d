#!/usr/bin/env node
// The `llm-blender-web` command (see cli.ts): stdin/stdout/stderr wired to runCli.
import { createInterface } from 'node:readline';
import { runCli } from './cli';

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
process.exitCode = await runCli(process.argv.slice(2), {
  readLines: () => lines,
  write: (text) => process.stdout.write(text),
  error: (text) => process.stderr.write(text),
});
