#!/usr/bin/env node
// The `llm-blender-web` command (see cli.ts): stdin/stdout/stderr wired to runCli.
import { createInterface } from 'node:readline';
import { runCli } from './cli';

const argv = process.argv.slice(2);
const readsStdin = argv[0] !== 'eval' && argv[0] !== 'worker';
// The iterator is taken now, before the model loads: readline only buffers lines for an
// iterator that exists, and a short stdin would otherwise be gone (and the run hang). eval
// reads a file instead: an open stdin would keep a terminal session from ending.
const lines = readsStdin ? createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]() : null;
// Ctrl-C (or SIGTERM) stops eval between writes (what is written stays, --resume continues)
// and a worker after the jobs in hand; a second one exits at once.
const interrupt = new AbortController();
if (!readsStdin) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupt.signal.aborted) process.exit(130);
      interrupt.abort();
    });
  }
}
process.exitCode = await runCli(argv, {
  readLines: () => ({ [Symbol.asyncIterator]: () => lines ?? (async function* () {})() }),
  write: (text) => process.stdout.write(text),
  error: (text) => process.stderr.write(text),
  stderrIsTty: process.stderr.isTTY === true,
  signal: interrupt.signal,
});
