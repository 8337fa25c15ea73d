// `llm-blender-web eval`: a dataset file ranked row by row with progress, written so that a
// crash or Ctrl-C loses at most the rows in flight and --resume continues after the last
// complete row without ranking any row again; then the summary (stderr table, --summary JSON)
// and the preference pairs (--pairs-out). The pieces are separate for reuse: rows come from
// eval-input.ts, are ranked by rank-rows.ts, written by results-log.ts, summed by summary.ts.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { describeBadRow, type BadRow, type RankRow } from '../../datasets/batch-rows';
import { isBlenderError } from '../../engine/errors';
import { createBlender as createNodeBlender, type NodeBlender } from '../create-blender';
import type { NodeBlenderOptions } from '../node-blender-options';
import { UsageError, parseCommandLine, rankerOptions } from '../command-line';
import { EVAL_USAGE, parseEvalArgs, type EvalArgs } from './eval-args';
import { countEvalRows, readEvalInput } from './eval-input';
import { JsonlAppender } from './jsonl-file';
import { preferencePairs } from './preference-pairs';
import { createProgress, type ProgressSink } from './progress';
import { rankRows } from './rank-rows';
import { checkResumed, openResults, openSideFile, rejectLine, type ResumePoint } from './results-log';
import { SummaryAccumulator, summaryTable } from './summary';
import { isFleetEval } from '../fleet/fleet-args';
import { runProducer } from '../fleet/producer';

export interface EvalIo {
  /** Results when there is no --out. */
  write(text: string): void;
  /** Progress, messages, the summary table. */
  error(text: string): void;
  /** Whether stderr is a terminal (a progress bar) or not (plain lines). */
  stderrIsTty?: boolean;
  /** Aborts the run (Ctrl-C): the chunk in flight is dropped, everything before it is kept. */
  signal?: AbortSignal;
  createBlender?: (options: NodeBlenderOptions) => Promise<NodeBlender>;
}

interface Sink {
  append(values: readonly unknown[]): void;
  close(): void;
}

/** Runs the command; returns the exit code (0 ok, 1 the run failed, 2 bad usage, 130 interrupted). */
export async function runEval(argv: readonly string[], io: EvalIo): Promise<number> {
  if (isFleetEval(argv)) return runProducer(argv, io);
  const args = parseCommandLine(argv, EVAL_USAGE, io, () => {
    const parsed = parseEvalArgs(argv);
    if (!existsSync(parsed.file) || !statSync(parsed.file).isFile()) throw new UsageError(`no such file: ${parsed.file}`);
    return parsed;
  });
  if (typeof args === 'number') return args;
  const sinks: Sink[] = [];
  let blender: NodeBlender | undefined;
  let progress: ProgressSink | undefined;
  try {
    const { results, point } = openOutputs(args, io, sinks);
    if (point.torn !== null) io.error(`eval: dropped a torn last line of ${args.out} (${point.torn.length} characters); its row runs again\n`);
    if (args.resume) io.error(`eval: resuming ${args.out} after row ${point.lastRow} (${point.done.size} rows done)\n`);
    const rejects = args.rejects === undefined ? null : keep(sinks, openSideFile(args.rejects, args.resume, point.lastRow));
    const pairs = args.pairsOut === undefined ? null : keep(sinks, openSideFile(args.pairsOut, args.resume, point.lastRow));
    const trace = args.trace === undefined ? null : keep(sinks, new JsonlAppender(args.trace, existsSync(args.trace) ? statSync(args.trace).size : null));

    const total = await countEvalRows(args.file, args.limit);
    blender = await (io.createBlender ?? createNodeBlender)(rankerOptions(args));
    const passesAtStart = await passes(blender);
    const summary = new SummaryAccumulator(args.strategy);
    let rowsDone = 0;
    let rowsRun = 0;
    let pairsRun = 0;
    const started = performance.now();
    progress = createProgress({
      total,
      tty: io.stderrIsTty === true,
      write: (text) => io.error(text),
      everySeconds: args.progressEvery,
    });

    let chunk: RankRow[] = [];
    let pendingBad: BadRow[] = [];
    const flush = async () => {
      const ranked =
        chunk.length === 0
          ? { records: [], failed: [] }
          : await rankRows(blender!, chunk, {
              strategy: args.strategy,
              matrix: args.matrix,
              budget: args.budget,
              topK: args.topK,
              orders: args.orders,
              batchSize: args.batchSize,
              signal: io.signal,
            });
      trace?.append(chunk.map((row) => ({ row: row.row })));
      const bad = [...pendingBad, ...ranked.failed].sort((x, y) => x.row - y.row);
      // Without a rejects file (results on stdout), bad rows are reported on stderr instead.
      if (rejects) rejects.append(bad.map(rejectLine));
      else for (const row of bad) io.error(`eval: rejected ${describeBadRow(row)}\n`);
      const byRow = new Map(chunk.map((row) => [row.row, row]));
      pairs?.append(ranked.records.flatMap((record) => preferencePairs(byRow.get(record.row)!, record, args.pairs, args.minMargin)));
      results.append(ranked.records);
      for (const record of ranked.records) summary.add(byRow.get(record.row)!, record);
      for (const _ of bad) summary.reject();
      rowsDone += chunk.length + pendingBad.length;
      rowsRun += chunk.length;
      pairsRun = (await passes(blender!)) - passesAtStart;
      progress!.update(rowsDone, pairsRun, rowsRun);
      chunk = [];
      pendingBad = [];
    };

    for await (const item of readEvalInput(args.file, { limit: args.limit, models: args.models })) {
      if (io.signal?.aborted) break;
      const rowNumber = item.kind === 'row' ? item.row.row : item.bad.row;
      if (rowNumber <= point.lastRow) {
        // Done in an earlier run: its result (or its reject) is on disk already.
        const record = item.kind === 'row' ? point.done.get(rowNumber) : undefined;
        if (record && item.kind === 'row') summary.add(item.row, checkResumed(item.row, record));
        else summary.reject();
        rowsDone++;
        continue;
      }
      if (item.kind === 'bad') pendingBad.push(item.bad);
      else chunk.push(item.row);
      if (chunk.length >= args.chunk) await flush();
    }
    if (!io.signal?.aborted) await flush();
    progress.stop();
    progress = undefined;
    for (const sink of sinks.splice(0)) sink.close();
    if (io.signal?.aborted) {
      io.error(`eval: interrupted after row ${rowsDone}; run again with --resume to continue\n`);
      return 130;
    }
    const result = summary.finish({ pairs: pairsRun, rows: rowsRun, seconds: (performance.now() - started) / 1000 });
    io.error('\n' + summaryTable(result));
    if (result.rejected > 0 && args.rejects !== undefined) io.error(`eval: ${result.rejected} rejected row(s) in ${args.rejects}\n`);
    if (args.summary !== undefined) writeFileSync(args.summary, JSON.stringify(result, null, 2) + '\n');
    return 0;
  } catch (error) {
    progress?.stop();
    for (const sink of sinks) sink.close();
    if (io.signal?.aborted || (isBlenderError(error) && error.code === 'ABORTED')) {
      io.error('eval: interrupted; the rows written so far are kept; run again with --resume to continue\n');
      return 130;
    }
    io.error(`eval: ${isBlenderError(error) ? `${error.code}: ` : ''}${(error as Error).message}\n`);
    return 1;
  } finally {
    await blender?.dispose();
  }
}

function openOutputs(args: EvalArgs, io: EvalIo, sinks: Sink[]): { results: Sink; point: ResumePoint } {
  if (args.out === undefined) {
    const results: Sink = { append: (values) => values.length && io.write(values.map((v) => JSON.stringify(v) + '\n').join('')), close: () => {} };
    return { results, point: { done: new Map(), lastRow: 0, torn: null } };
  }
  const { appender, point } = openResults(args.out, args.resume);
  return { results: keep(sinks, appender), point };
}

function keep<T extends Sink>(sinks: Sink[], sink: T): T {
  sinks.push(sink);
  return sink;
}

async function passes(blender: NodeBlender): Promise<number> {
  return (await blender.info()).ranker?.passes ?? 0;
}
