// FusionEngine and FuseTextStream without a model: batching rules, streaming pieces,
// abort mapping, with a fake generator and a character tokenizer.
import { describe, expect, it } from 'vitest';
import { isBlenderError } from '../../src/engine/errors';
import type { FuseTokenizer } from '../../src/engine/fuse-prompt';
import { FuseTextStream } from '../../src/engine/fuse-stream';
import { FusionEngine, type FuserGenerator } from '../../src/engine/fusion-engine';

/** ids = code points; id 1 is `</s>` (eos), id 0 the start token; decode drops both when asked. */
const chars: FuseTokenizer = {
  encode: (text) => [...text.replaceAll('</s>', '\u0001')].map((ch) => ch.codePointAt(0)!),
  decode: (ids, skip) =>
    String.fromCodePoint(...ids.filter((id) => !skip || id > 1))
      .replaceAll('\u0001', '</s>')
      .replaceAll('\u0000', '<pad>'),
};
const config = { sourceMaxTokens: 10_000, candidateMaxTokens: 100, eosTokenId: 1 };

/** Answers every row with "ok" + eos; greedy streams the tokens; records batch sizes. */
function fakeGenerator() {
  const batches: number[] = [];
  const generator: FuserGenerator = {
    async generate(rows, { signal, onToken }) {
      batches.push(rows.length);
      signal?.throwIfAborted();
      const out = [0, ...chars.encode('ok'), 1];
      rows.forEach((_, row) => out.slice(1).forEach((token) => onToken?.(row, token)));
      return rows.map(() => out);
    },
  };
  return { generator, batches };
}

describe('FusionEngine (fake generator)', () => {
  it('batches by batchSize (default 4) and by rows x longest prompt within tokenBudget', async () => {
    const { generator, batches } = fakeGenerator();
    const engine = new FusionEngine(generator, chars, config);
    const inputs = Array.from({ length: 6 }, (_, i) => `input ${i}`);
    const candidates = inputs.map(() => ['c']);
    expect(await engine.fuse(inputs, candidates)).toEqual(inputs.map(() => 'ok'));
    expect(batches).toEqual([4, 2]);
    const promptLength = chars.encode(
      `Instruction: </s>Input: input 0</s>Candidate 0: <extra_id_0>:c</s>Summarize candidates into a better one for the given instruction:`,
    ).length;
    batches.length = 0;
    await engine.fuse(inputs, candidates, { batchSize: 8, tokenBudget: 3 * promptLength });
    expect(batches).toEqual([3, 3]);
    batches.length = 0;
    await engine.fuse(inputs, candidates, { tokenBudget: 1 });
    expect(batches).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('streams greedy pieces per input and beam results once; stats count fused inputs', async () => {
    const { generator } = fakeGenerator();
    const engine = new FusionEngine(generator, chars, config);
    const greedy: [number, string][] = [];
    await engine.fuse(['a', 'b'], [['x'], ['y']], { numBeams: 1, onToken: (i, t) => greedy.push([i, t]) });
    expect(greedy).toEqual([
      [0, 'o'],
      [0, 'k'],
      [1, 'o'],
      [1, 'k'],
    ]); // no space: sent as it comes
    const beams: [number, string][] = [];
    await engine.fuse(['a', 'b'], [['x'], ['y']], { onToken: (i, t) => beams.push([i, t]) });
    expect(beams).toEqual([
      [0, 'ok'],
      [1, 'ok'],
    ]);
    expect(engine.stats.generations).toBe(4);
  });

  it('a generator failure is INFERENCE_FAILED; an abort during generation is ABORTED', async () => {
    const failing = new FusionEngine({ generate: () => Promise.reject(new Error('kernel missing')) }, chars, config);
    const failure = await failing.fuse(['a'], [['x']]).catch((e: unknown) => e);
    expect(isBlenderError(failure) && failure.code).toBe('INFERENCE_FAILED');
    const controller = new AbortController();
    const aborting = new FusionEngine(
      {
        generate: async (_rows, { signal }) => {
          controller.abort(new Error('any reason'));
          signal?.throwIfAborted();
          return [];
        },
      },
      chars,
      config,
    );
    const aborted = await aborting.fuse(['a'], [['x']], { signal: controller.signal }).catch((e: unknown) => e);
    expect(isBlenderError(aborted) && [aborted.code, aborted.argument]).toEqual(['ABORTED', 'options.signal']);
  });
});

describe('FuseTextStream', () => {
  it('holds back a trailing half character and sends only growth; finish sends the rest', () => {
    const pieces: string[] = [];
    // A tokenizer whose decode of [65, 0xd83d] ends in U+FFFD until the pair completes.
    const halves: FuseTokenizer = {
      encode: () => [],
      decode: (ids) =>
        ids
          .map((id) => (id === 0xd83d ? '\uFFFD' : id === 0xde00 ? '' : String.fromCharCode(id)))
          .join('')
          .replace('\uFFFD', ids.includes(0xde00) ? '\u{1F600}' : '\uFFFD'),
    };
    const stream = new FuseTextStream(halves, 1, (t) => pieces.push(t));
    stream.push(65);
    stream.push(0xd83d);
    expect(pieces).toEqual(['A']);
    stream.push(0xde00);
    expect(pieces).toEqual(['A', '\u{1F600}']);
    stream.push(1);
    stream.push(66); // after eos: padding, ignored
    stream.finish('A\u{1F600}');
    expect(pieces.join('')).toBe('A\u{1F600}');
  });

  it('the space before the newest token is held back: a clean-up that removes it still adds up', () => {
    const pieces: string[] = [];
    // Like HF clean-up: "a" + " ," decodes to "a," (the space goes).
    const texts = ['hi a', 'hi a ,', 'hi a, b'];
    const cleaning: FuseTokenizer = { encode: () => [], decode: (ids) => texts[ids.length - 1]!.replace(' ,', ',') };
    const stream = new FuseTextStream(cleaning, 1, (t) => pieces.push(t));
    stream.push(10);
    expect(pieces).toEqual(['hi']);
    stream.push(11);
    stream.push(12);
    expect(pieces).toEqual(['hi', ' a,']);
    stream.finish('hi a, b');
    expect(pieces).toEqual(['hi', ' a,', ' b']);
  });
});
