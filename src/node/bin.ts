#!/usr/bin/env node
// The `llm-blender-web` command (see cli.ts): stdin/stdout/stderr wired to runCli.
import { createInterface } from 'node:readline';
import { runCli } from './cli';

// The iterator is taken now, before the model loads: readline only buffers lines for an
// iterator that exists, and a short stdin would otherwise be gone (and the run hang).
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]();
process.exitCode = await runCli(process.argv.slice(2), {
  readLines: () => ({ [Symbol.asyncIterator]: () => lines }),
  write: (text) => process.stdout.write(text),
  error: (text) => process.stderr.write(text),
});
