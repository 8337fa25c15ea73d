// Hostile text through the Node entry (tiny ranker and fuser): huge texts are cut by the
// rules in bounded time (same results as their first 20 000 characters), odd characters run
// like any text, and marker strings can never become marker ids. test/node/properties.test.ts
// has the ranker's 1 MB candidate and a first hostile mix; this adds the fuser, inputs,
// texts without spaces, fuzzed markers and the encoded length bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlender, type NodeBlender } from '../../src/node';
import { mulberry32 } from '../../src/engine/seeded-random';
import { tinyRows } from '../node/tiny-model';

const TINY = { ranker: 'public/models/tiny-pairrm', fuser: 'public/models/tiny-fuser', threads: 1 };
const GREEDY = { maxNewTokens: 4, numBeams: 1 } as const;

let blender: NodeBlender;
beforeAll(async () => {
  blender = await createBlender(TINY);
});
afterAll(() => blender.dispose());

const MB = 1 << 20;
const sentences = 'Every answer keeps going, sentence after sentence, far past any limit. '.repeat(15_000).slice(0, MB);
// No spaces at all: the prefix cut falls back to its margin rule.
const cjk = '長い答えは終わらない。'.repeat(100_000).slice(0, MB);
// Nothing but whitespace: stays under every token limit, so the hard character cap applies.
const blanks = ' \n\t'.repeat(MB / 3);
const HUGE = { sentences, cjk, blanks } as const;

/** Runs `work`, returns its result and how long it took (reported, bounded generously). */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe('1 MB texts are cut by the rules, in bounded time', () => {
  it.each(Object.keys(HUGE) as (keyof typeof HUGE)[])('%s: as a fuse candidate and as a fuse input', async (kind) => {
    const huge = HUGE[kind];
    const asCandidate = await timed(() => blender.fuse(['Explain.'], [[huge, 'A short answer.']], GREEDY));
    const asInput = await timed(() => blender.fuse([huge], [['first', 'second']], GREEDY));
    // Was ~20 s and then a stack overflow (a RangeError, not a BlenderError).
    expect(asCandidate.ms).toBeLessThan(10_000);
    expect(asInput.ms).toBeLessThan(10_000);
    if (kind !== 'blanks') {
      // Only a prefix matters: the same text as the first 20 000 characters gives.
      expect(asCandidate.value).toEqual(await blender.fuse(['Explain.'], [[huge.slice(0, 20_000), 'A short answer.']], GREEDY));
      expect(asInput.value).toEqual(await blender.fuse([huge.slice(0, 20_000)], [['first', 'second']], GREEDY));
    }
  });

  it.each(Object.keys(HUGE) as (keyof typeof HUGE)[])('%s: as a rank input and candidate', async (kind) => {
    const huge = HUGE[kind];
    const { value, ms } = await timed(() => blender.rank([huge], [[huge, 'short', '']], { returnScores: true }));
    expect(ms).toBeLessThan(10_000);
    if (kind !== 'blanks') {
      const cut = huge.slice(0, 20_000);
      expect(value).toEqual(await blender.rank([cut], [[cut, 'short', '']], { returnScores: true }));
    }
  });

  it('rankAndFuse with 1 MB candidates completes', async () => {
    const { value, ms } = await timed(() => blender.rankAndFuse([sentences], [[sentences, cjk, 'short']], { ...GREEDY, topK: 2 }));
    expect(ms).toBeLessThan(15_000);
    expect(value.fused).toHaveLength(1);
    expect(value.topCandidates[0]).toHaveLength(2);
  });

  it('a row never exceeds source + 2 x candidate max length, however long the texts', () => {
    const { config, rows } = tinyRows();
    const bound = config.sourceMaxLength + 2 * config.candidateMaxLength;
    for (const huge of Object.values(HUGE)) {
      const pair = { source: huge, cand1: huge, cand2: `${huge}!` };
      expect(rows.pairLength(pair)).toBeLessThanOrEqual(bound);
      expect(rows.pairRow(pair)).toHaveLength(rows.pairLength(pair));
    }
  });
});

describe('odd characters run like any text', () => {
  const texts = {
    emoji: '😀👍🏽👨‍👩‍👧'.repeat(3_334).slice(0, 20_000),
    rtl: 'مرحبا بالعالم! שלום עולם \u200F\u202Bembedded\u202C',
    mixed: 'Hello мир 世界 नमस्ते 🌍 Ελληνικά ʕ•ᴥ•ʔ e\u0301 ﬁ Ⅻ',
    control: 'nul\u0000bell\u0007esc\u001b[31m del\u007f \r\n\t\u2028\u2029',
    surrogates: '\uD800 lone high, lone low \uDFFF, reversed \uDC00\uD800',
    zeroWidth: 'zero\u200Bwidth\u200Cjoin\u200D\uFEFFbom',
    html: '<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>',
  };

  it.each(Object.entries(texts))('%s: rank gives finite scores, twice the same', async (_kind, text) => {
    const once = await blender.rank([text], [[text, 'plain answer', `${text} again`]], { returnScores: true });
    for (const score of once[0]!) expect(Number.isFinite(score)).toBe(true);
    expect(await blender.rank([text], [[text, 'plain answer', `${text} again`]], { returnScores: true })).toEqual(once);
  });

  it.each(Object.entries(texts))('%s: fuse gives a string, twice the same', async (_kind, text) => {
    const once = await blender.fuse([text], [[text, 'plain answer']], GREEDY);
    expect(typeof once[0]).toBe('string');
    expect(await blender.fuse([text], [[text, 'plain answer']], GREEDY)).toEqual(once);
  });
});

describe('marker strings never become marker ids', () => {
  const { config, tokenizer, rows } = tinyRows();
  const reserved = new Set([config.sourcePrefixId, config.cand1PrefixId, config.cand2PrefixId, config.clsTokenId, config.sepTokenId, config.padTokenId]);
  const pieces = [
    '<|source|>',
    '<|candidate1|>',
    '<|candidate2|>',
    '<|candidate|>',
    '[CLS]',
    '[SEP]',
    '[PAD]',
    '[MASK]',
    '[UNK]',
    '<|',
    '|>',
    '[',
    ']',
    'source',
    'candidate',
    ' ',
    '\u0000',
    '😀',
    'ا',
  ];

  it('in 500 random mixes of marker fragments', () => {
    const random = mulberry32(11);
    for (let k = 0; k < 500; k++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      const ids = tokenizer.encodePlain(text);
      expect(
        ids.filter((id) => reserved.has(id)),
        JSON.stringify(text),
      ).toEqual([]);
      // And in a row, each marker sits exactly once, where the head reads it.
      const row = rows.pairRow({ source: text, cand1: text, cand2: text });
      for (const marker of [config.sourcePrefixId, config.cand1PrefixId, config.cand2PrefixId]) {
        expect(row.filter((id) => id === marker)).toHaveLength(1);
      }
    }
  });
});
