/**
 * Batch ranking from the command line: JSON Lines in, JSON Lines out, one output line per
 * input line, in order. Rows are pooled in chunks so runs stay full and output streams.
 *
 *   llm-blender-web rank    --ranker <folder> [--dtype q8] [--batch-size 8] [--scores] < rows.jsonl
 *     row: {"instruction"?: string, "input": string, "candidates": string[]}
 *     out: {"ranks": number[]}   or {"scores": number[]} with --scores
 *   llm-blender-web compare --ranker <folder> ... < pairs.jsonl
 *     row: {"instruction"?: string, "input": string, "candidateA": string, "candidateB": string}
 *     out: {"logit": number, "aBetter": boolean}   (logit = M(A,B) - M(B,A))
 *   llm-blender-web eval FILE --ranker <folder> [--out results.jsonl --resume --summary F --pairs-out F ...]
 *     a dataset file (MixInstruct, or the demo's batch formats): see eval/eval-command.ts;
 *     with --queue redis://host:port/name, ranked by a fleet of workers (fleet/producer.ts)
 *   llm-blender-web worker --queue redis://host:port/name --ranker <folder> [--concurrency N ...]
 *     one worker of that fleet, until SIGTERM (fleet/worker.ts; docs/scale-out.md)
 */
import { BlenderError, isBlenderError } from '../engine/errors';
import { createBlender, type NodeBlender } from './create-blender';
import type { DtypeOption } from '../runtime/common/dtypes';
import { flagValue, positiveInteger } from './command-line';
import { runEval, type EvalIo } from './eval/eval-command';
import { runWorker } from './fleet/worker';

export interface CliIo extends EvalIo {
  readLines(): AsyncIterable<string>;
  write(text: string): void;
  error(text: string): void;
}

interface CliArgs {
  command: 'rank' | 'compare';
  ranker: string;
  dtype: DtypeOption | undefined;
  batchSize: number | undefined;
  scores: boolean;
  chunk: number;
}

const USAGE =
  'usage: llm-blender-web rank|compare --ranker <folder> [--dtype fp32|fp16|q8|q4] [--batch-size N] [--chunk N] [--scores] < rows.jsonl\n' +
  '       llm-blender-web eval FILE --ranker <folder> [options]   (llm-blender-web eval --help for the options)\n' +
  '       llm-blender-web worker --queue redis://host:port/name --ranker <folder> [options]   (worker --help)';

/** Runs the CLI; returns the exit code (0 ok, 1 a row or the model failed, 2 bad usage; eval: 130 interrupted). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === 'eval') return runEval(argv.slice(1), io);
  if (argv[0] === 'worker') return runWorker(argv.slice(1), io);
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    io.error(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  let blender: NodeBlender | undefined;
  try {
    blender = await createBlender({ ranker: args.ranker, dtype: args.dtype, batchSize: args.batchSize });
    let chunk: unknown[] = [];
    let line = 0;
    for await (const text of io.readLines()) {
      line++;
      if (text.trim() === '') continue;
      chunk.push(parseRow(text, line, args.command));
      if (chunk.length >= args.chunk) {
        await runChunk(blender, args, chunk, io);
        chunk = [];
      }
    }
    if (chunk.length > 0) await runChunk(blender, args, chunk, io);
    return 0;
  } catch (error) {
    io.error(`${isBlenderError(error) ? `${error.code}: ` : ''}${(error as Error).message}\n`);
    return 1;
  } finally {
    await blender?.dispose();
  }
}

async function runChunk(blender: NodeBlender, args: CliArgs, rows: unknown[], io: CliIo): Promise<void> {
  const field = (name: string) => rows.map((row) => (row as Record<string, unknown>)[name]) as string[];
  const instructions = rows.map((row) => ((row as { instruction?: unknown }).instruction as string | undefined) ?? '');
  if (args.command === 'rank') {
    const candidates = rows.map((row) => (row as { candidates: string[] }).candidates);
    const result = await blender.rank(field('input'), candidates, { instructions, returnScores: args.scores });
    for (const values of result) io.write(`${JSON.stringify(args.scores ? { scores: values } : { ranks: values })}\n`);
  } else {
    const logits = await blender.compare(field('input'), field('candidateA'), field('candidateB'), { instructions, returnLogits: true });
    for (const logit of logits) io.write(`${JSON.stringify({ logit, aBetter: logit > 0 })}\n`);
  }
}

function parseRow(text: string, line: number, command: CliArgs['command']): unknown {
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch {
    throw new BlenderError('INVALID_ARGUMENT', `line ${line} is not JSON`, `line ${line}`);
  }
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    throw new BlenderError('INVALID_ARGUMENT', `line ${line} is not a JSON object`, `line ${line}`);
  }
  const needed = command === 'rank' ? ['input', 'candidates'] : ['input', 'candidateA', 'candidateB'];
  const missing = needed.filter((key) => !(key in row));
  if (missing.length > 0) {
    throw new BlenderError('INVALID_ARGUMENT', `line ${line} lacks ${missing.join(', ')}`, `line ${line}`);
  }
  return row;
}

function parseArgs(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command !== 'rank' && command !== 'compare') throw new Error(`unknown command ${JSON.stringify(command ?? '')}`);
  const args: CliArgs = { command, ranker: '', dtype: undefined, batchSize: undefined, scores: false, chunk: 256 };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    const value = () => flagValue(flag, rest[++i]);
    const positive = () => positiveInteger(flag, value());
    if (flag === '--ranker') args.ranker = value();
    else if (flag === '--dtype') args.dtype = value() as DtypeOption;
    else if (flag === '--batch-size') args.batchSize = positive();
    else if (flag === '--chunk') args.chunk = positive();
    else if (flag === '--scores' && command === 'rank') args.scores = true;
    else throw new Error(`unknown flag ${flag}`);
  }
  if (args.ranker === '') throw new Error('--ranker is required');
  return args;
}
