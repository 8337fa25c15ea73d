// The fleet's pure parts: queue URLs (password in, password never out), the command lines,
// the shard grid, which errors are a row's fault.
import { describe, expect, it } from 'vitest';
import { BlenderError } from '../../src/engine/errors';
import { UsageError } from '../../src/node/command-line';
import type { EvalInputItem } from '../../src/node/eval/eval-input';
import { parseProducerArgs, parseWorkerArgs } from '../../src/node/fleet/fleet-args';
import { shardJobId } from '../../src/node/fleet/jobs';
import { parseQueueUrl, redactQueueUrl } from '../../src/node/fleet/queue-url';
import { gridCell, shardsOf } from '../../src/node/fleet/shards';
import { isRowFault } from '../../src/node/fleet/worker';

describe('queue URLs', () => {
  it('reads host, port, password, user, database, queue name, prefix and TLS', () => {
    expect(parseQueueUrl('redis://:p%40ss@redis.internal:6380/ranking')).toMatchObject({
      connection: { host: 'redis.internal', port: 6380, db: 0, password: 'p@ss' },
      name: 'ranking',
      prefix: 'bull',
      display: 'redis://:***@redis.internal:6380/ranking',
    });
    const full = parseQueueUrl('rediss://fleet:s3cret@10.0.0.5/3/mix-2024?prefix=lbw');
    expect(full.connection).toMatchObject({ host: '10.0.0.5', port: 6379, db: 3, username: 'fleet', password: 's3cret', tls: {} });
    expect([full.name, full.prefix]).toEqual(['mix-2024', 'lbw']);
    expect(parseQueueUrl('redis://localhost:6379/q').connection.password).toBeUndefined();
  });

  it('never prints a password, even one with "@" or "/" in it, or in a URL it cannot parse', () => {
    expect(redactQueueUrl('redis://:a@b/c@host:1/q')).toBe('redis://:***@host:1/q');
    expect(redactQueueUrl('redis://user:pw@host/q')).toBe('redis://user:***@host/q');
    expect(redactQueueUrl('redis://host:6379/q')).toBe('redis://host:6379/q');
    for (const bad of [
      'redis://:hunter2@',
      'http://:hunter2@host/q',
      'redis://:hunter2@host:6379/',
      'redis://:hunter2@host/a/b/c',
      'redis://:hunter2@host/99/q',
    ]) {
      expect(() => parseQueueUrl(bad)).toThrow();
      try {
        parseQueueUrl(bad);
      } catch (error) {
        expect((error as Error).message).not.toContain('hunter2');
      }
    }
  });
});

describe('command lines', () => {
  it('producer: eval flags plus the queue ones; the model flags belong to the workers; --out is needed', () => {
    const args = parseProducerArgs(['data.jsonl', '--queue', 'redis://h/q', '--out', 'o.jsonl', '--shard-size', '8', '--window', '4', '--strategy', 'sort']);
    expect([args.shardSize, args.window, args.attempts, args.eval.strategy, args.eval.ranker]).toEqual([8, 4, 3, 'sort', '']);
    expect(() => parseProducerArgs(['d.jsonl', '--queue', 'redis://h/q', '--out', 'o', '--ranker', 'm'])).toThrow(/--ranker is a worker flag/);
    expect(() => parseProducerArgs(['d.jsonl', '--queue', 'redis://h/q'])).toThrow(/--queue needs --out/);
    expect(() => parseProducerArgs(['d.jsonl', '--queue', 'redis://h/q', '--out', 'o', '--shard-size', '0'])).toThrow(UsageError);
    expect(() => parseProducerArgs(['d.jsonl', '--queue', 'ftp://h/q', '--out', 'o'])).toThrow(UsageError);
  });

  it('worker: queue and ranker required; BullMQ timings and the device are flags', () => {
    const args = parseWorkerArgs(['--queue', 'redis://h:1/q', '--ranker', 'm', '--device', 'cuda', '--concurrency', '2', '--lock-duration', '5000']);
    expect([args.device, args.concurrency, args.lockDurationMs, args.stalledIntervalMs, args.maxStalled]).toEqual(['cuda', 2, 5000, 30_000, 2]);
    expect(() => parseWorkerArgs(['--ranker', 'm'])).toThrow(/--queue is required/);
    expect(() => parseWorkerArgs(['--queue', 'redis://h/q'])).toThrow(/--ranker is required/);
    expect(() => parseWorkerArgs(['--queue', 'redis://h/q', '--ranker', 'm', '--device', 'tpu'])).toThrow(/--device/);
  });
});

describe('shards', () => {
  const item = (row: number, bad = false): EvalInputItem =>
    bad
      ? { kind: 'bad', bad: { row, line: row, field: null, message: 'bad' } }
      : { kind: 'row', row: { kind: 'rank', row, line: row, instruction: '', input: `q${row}`, candidates: ['a', 'b'], models: ['x', 'y'] } };
  async function* items(rows: number[], bad: number[] = []) {
    for (const row of rows) yield item(row, bad.includes(row));
  }

  it('cut rows on a grid of row numbers that does not depend on where a run starts', async () => {
    expect(gridCell(1, 4)).toEqual({ gridFirst: 1, gridLast: 4 });
    expect(gridCell(8, 4)).toEqual({ gridFirst: 5, gridLast: 8 });
    expect(gridCell(9, 4)).toEqual({ gridFirst: 9, gridLast: 12 });
    const all = [];
    for await (const shard of shardsOf(items([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [6]), 4)) all.push(shard);
    expect(all.map((s) => [s.gridFirst, s.rows.map((r) => r.row), s.bad.map((b) => b.row)])).toEqual([
      [1, [1, 2, 3, 4], []],
      [5, [5, 7, 8], [6]],
      [9, [9, 10], []],
    ]);
    // Resumed after row 6: the same cells, without the rows already written.
    const resumed = [];
    for await (const shard of shardsOf(items([7, 8, 9, 10]), 4)) resumed.push(shard);
    expect(resumed.map((s) => [s.gridFirst, s.gridLast, s.rows.map((r) => r.row)])).toEqual([
      [5, 8, [7, 8]],
      [9, 12, [9, 10]],
    ]);
    expect(shardJobId('ab12', 5, 8)).toBe('ab12.5-8');
  });
});

describe('whose fault an error is', () => {
  it("bad input is the row's (reported with it); a failing model or device is the worker's (the job is retried)", () => {
    for (const code of ['INVALID_ARGUMENT', 'LENGTH_MISMATCH', 'EMPTY_CANDIDATES', 'INVALID_OPTION'] as const)
      expect(isRowFault(new BlenderError(code, 'x'))).toBe(true);
    for (const code of ['INFERENCE_FAILED', 'MODEL_INVALID', 'DEVICE_LOST', 'NUMERICS_MISMATCH', 'DISPOSED'] as const)
      expect(isRowFault(new BlenderError(code, 'x'))).toBe(false);
  });
});
