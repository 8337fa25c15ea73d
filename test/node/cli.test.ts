import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/node/cli';
import { TINY_PAIRRM, tinyBlender } from './tiny-model';

async function run(argv: string[], lines: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    async *readLines() {
      yield* lines;
    },
    write: (text) => out.push(text),
    error: (text) => err.push(text),
  });
  return { code, out: out.join(''), err: err.join('') };
}

const rows = [
  { input: 'hello, how are you!', candidates: ['get out!', 'hi! I am fine, thanks!', 'bye!'] },
  { instruction: 'Reply. ', input: 'I love you!', candidates: ['I love you too!', 'I hate you!'] },
];

describe('llm-blender-web CLI', () => {
  it('rank: one JSON line out per line in, equal to the API (chunks of 1 included)', async () => {
    const blender = await tinyBlender();
    const expected = await blender.rank(
      rows.map((r) => r.input),
      rows.map((r) => r.candidates),
      { instructions: rows.map((r) => r.instruction ?? ''), returnScores: true },
    );
    await blender.dispose();
    for (const chunk of ['256', '1']) {
      const result = await run(['rank', '--ranker', TINY_PAIRRM, '--scores', '--chunk', chunk], [...rows.map((r) => JSON.stringify(r)), '']);
      expect(result).toMatchObject({ code: 0, err: '' });
      expect(
        result.out
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as unknown),
      ).toEqual(expected.map((scores) => ({ scores })));
    }
  });

  it('compare: logit = M(A,B) - M(B,A) and aBetter', async () => {
    const result = await run(['compare', '--ranker', TINY_PAIRRM], [JSON.stringify({ input: 'hello!', candidateA: 'hi!', candidateB: 'f**k off!' })]);
    expect(result.code).toBe(0);
    const { logit, aBetter } = JSON.parse(result.out) as { logit: number; aBetter: boolean };
    expect(aBetter).toBe(logit > 0);
  });

  it('bad usage exits 2; a bad row exits 1 naming its line', async () => {
    expect((await run(['rnak', '--ranker', TINY_PAIRRM], [])).code).toBe(2);
    expect((await run(['rank'], [])).code).toBe(2);
    expect((await run(['rank', '--ranker', TINY_PAIRRM, '--batch-size', '0'], [])).code).toBe(2);
    const badLine = await run(['rank', '--ranker', TINY_PAIRRM], [JSON.stringify(rows[0]), '{"input": "x"}']);
    expect(badLine).toMatchObject({ code: 1, out: '' });
    expect(badLine.err).toContain('line 2 lacks candidates');
    const badModel = await run(['rank', '--ranker', 'test/engine'], [JSON.stringify(rows[0])]);
    expect(badModel.code).toBe(1);
    expect(badModel.err).toContain('MODEL_INVALID');
  });
});
