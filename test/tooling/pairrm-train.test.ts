// tools/pairrm/train.py end to end at toy size: a tiny random PairRM checkpoint
// (tools/pairrm/tiny_checkpoint.py), one epoch on the committed MixInstruct-format sample
// labelled by rouge1/rouge2/bleu, the dev loss drops, tools/pairrm/export.py turns the result
// into a model folder, and the engine loaded from it agrees with PyTorch on every dev pair.
// Needs /usr/bin/python3 with torch (bash tools/common/ensure-python.sh); ~40 s here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createBlender } from '../../src/node/index';

const work = mkdtempSync(join(tmpdir(), 'pairrm-train-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const python = (args: string[]) =>
  execFileSync('/usr/bin/python3', args, { encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' }, stdio: ['ignore', 'pipe', 'pipe'] });

interface DevRow {
  instruction: string;
  input: string;
  candidates: { text: string; scores: Record<string, number> }[];
}

it('fine-tunes the tiny model: dev loss drops, and the exported folder ranks dev pairs as PyTorch did', async () => {
  const checkpoint = join(work, 'tiny-hf');
  const tuned = join(work, 'tuned-hf');
  const folder = join(work, 'tuned-model');
  const lengths = ['--source-max-length', '64', '--candidate-max-length', '32'];
  python(['tools/pairrm/tiny_checkpoint.py', checkpoint]);
  python([
    'tools/pairrm/train.py',
    checkpoint,
    'test/fixtures/datasets/mixinstruct-sample.jsonl',
    '--dev',
    'test/fixtures/datasets/mixinstruct-dev.jsonl',
    '--out',
    tuned,
    '--metrics',
    'rouge1,rouge2,bleu',
    '--epochs',
    '1',
    '--learning-rate',
    '1e-3',
    '--seed',
    '42',
    '--threads',
    '1',
    ...lengths,
  ]);
  const training = JSON.parse(readFileSync(join(tuned, 'training.json'), 'utf8')) as { history: { epoch: number; loss: number; accuracy: number }[] };
  const [before, after] = training.history;
  expect(after!.epoch).toBe(1);
  expect(after!.loss).toBeLessThan(before!.loss - 0.01);

  python(['tools/pairrm/export.py', tuned, folder, '--variants', 'fp32', ...lengths]);

  // The dev pairs, labelled here as train.py documents it: the mean of the three metrics,
  // every two candidates of different quality and different text, better first.
  const dev = readFileSync('test/fixtures/datasets/mixinstruct-dev.jsonl', 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as DevRow);
  const pairs: { instruction: string; input: string; better: string; worse: string }[] = [];
  for (const row of dev) {
    const quality = row.candidates.map((c) => (c.scores.rouge1! + c.scores.rouge2! + c.scores.bleu!) / 3);
    row.candidates.forEach((a, i) =>
      row.candidates.forEach((b, j) => {
        if (j > i && quality[i] !== quality[j] && a.text !== b.text) {
          const [better, worse] = quality[i]! > quality[j]! ? [a, b] : [b, a];
          pairs.push({ instruction: row.instruction, input: row.input, better: better.text, worse: worse.text });
        }
      }),
    );
  }
  const blender = await createBlender({ ranker: folder });
  try {
    const options = { instructions: pairs.map((p) => p.instruction), mode: '[A,B]' as const, returnLogits: true as const };
    const inputs = pairs.map((p) => p.input);
    const forward = await blender.compare(
      inputs,
      pairs.map((p) => p.better),
      pairs.map((p) => p.worse),
      options,
    );
    const backward = await blender.compare(
      inputs,
      pairs.map((p) => p.worse),
      pairs.map((p) => p.better),
      options,
    );
    const correct = forward.filter((logit) => logit > 0).length + backward.filter((logit) => logit < 0).length;
    expect(correct / (2 * pairs.length)).toBeCloseTo(after!.accuracy, 10);
  } finally {
    await blender.dispose();
  }
}, 180_000);

it('labels pairs by cmp_results: decisive verdicts only, better first, never two equal texts', () => {
  const row = JSON.parse(readFileSync('test/fixtures/datasets/mixinstruct-sample.jsonl', 'utf8').split('\n')[0]!) as {
    candidates: { model: string; text: string }[];
    cmp_results: Record<string, string>;
  };
  const script = [
    'import json, sys',
    'sys.path.insert(0, ".")',
    'from tools.pairrm.train_pairs import row_pairs',
    'row = json.loads(open("test/fixtures/datasets/mixinstruct-sample.jsonl").readline())',
    'print(json.dumps([[p.better, p.worse] for p in row_pairs(row, None)]))',
  ].join('\n');
  const got = JSON.parse(python(['-c', script])) as [string, string][];
  const text = (model: string) => row.candidates.find((c) => c.model === model)!.text;
  const expected = Object.entries(row.cmp_results)
    .filter(([, verdict]) => verdict === 'A is better' || verdict === 'B is better')
    .map(([key, verdict]) => {
      const [a, b] = key.split(',').map(text) as [string, string];
      return verdict === 'A is better' ? [a, b] : [b, a];
    })
    .filter(([a, b]) => a !== b);
  expect(expected.length).toBeGreaterThan(0);
  expect(got).toEqual(expected);
});
