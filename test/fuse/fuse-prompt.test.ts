// Prompt building (src/engine/fuse-prompt.ts) on the tiny fuser's real tokenizer against the
// goldens, and the over-limit rule ("ours": the closing instruction always survives).
import { describe, expect, it } from 'vitest';
import { isBlenderError } from '../../src/engine/errors';
import { buildFusePrompt, FUSE_INSTRUCTION, fusePromptText, readFuserConfig, type FuseTokenizer } from '../../src/engine/fuse-prompt';
import { loadNodeFuser } from '../../src/runtime/node/node-fuser';
import { goldens, overLimit, TINY_FUSER, withinLimit } from './fuser-goldens';

const loaded = loadNodeFuser(TINY_FUSER, 'fp32', 1);
const byName = goldens.cases.map((c) => [c.name, c] as const);

describe('fuse prompt on the tiny fuser tokenizer', () => {
  it('reads the limits from config.json', async () => {
    const { engine } = await loaded;
    expect(engine.config).toEqual({ sourceMaxTokens: goldens.source_max_tokens, candidateMaxTokens: goldens.candidate_max_tokens, eosTokenId: 1 });
  });

  it.each(byName)('%s: prompt text equals the golden (candidates cut to the limit + "...")', async (_name, c) => {
    const { tokenizer, engine } = await loaded;
    expect(fusePromptText(tokenizer, engine.config, c.instruction, c.input, c.candidates)).toBe(c.prompt);
  });

  it.each(withinLimit.map((c) => [c.name, c] as const))('%s: within the limit, ids equal the reference input ids', async (_name, c) => {
    const { tokenizer, engine } = await loaded;
    const prompt = buildFusePrompt(tokenizer, engine.config, c.instruction, c.input, c.candidates);
    expect(prompt.ids).toEqual(c.input_ids);
    expect(prompt.ids).toEqual(c.prompt_ids);
    expect(prompt.truncated).toBe(false);
  });

  it.each(overLimit.map((c) => [c.name, c] as const))(
    '%s: over the limit, ours keeps "</s>" + the closing instruction and cuts what precedes it',
    async (_name, c) => {
      const { tokenizer, engine } = await loaded;
      const prompt = buildFusePrompt(tokenizer, engine.config, c.instruction, c.input, c.candidates);
      const tail = [1, ...tokenizer.encode(FUSE_INSTRUCTION)];
      expect(prompt.truncated).toBe(true);
      expect(prompt.ids).toHaveLength(goldens.source_max_tokens);
      expect(prompt.ids.slice(-tail.length)).toEqual(tail);
      expect(c.prompt_ids.slice(-tail.length)).toEqual(tail);
      expect(prompt.ids.slice(0, -tail.length)).toEqual(c.prompt_ids.slice(0, goldens.source_max_tokens - tail.length));
      expect(tokenizer.decode(prompt.ids, true).endsWith(FUSE_INSTRUCTION)).toBe(true);
    },
  );

  it('the reference truncation cuts the instruction in at least one golden (the case ours fixes)', () => {
    const cut = overLimit.filter((c) => !c.input_ids.slice(-3).every((id, k) => id === c.prompt_ids.at(k - 3)));
    expect(cut.length).toBeGreaterThan(0);
  });
});

/** Characters as ids, "<s>" style markers aside: enough to check the rules without a model. */
const charTokenizer: FuseTokenizer = {
  encode: (text) => [...text.replaceAll('</s>', '\u0001')].map((ch) => ch.codePointAt(0)!),
  decode: (ids) => String.fromCodePoint(...ids).replaceAll('\u0001', '</s>'),
};

describe('fuse prompt rules (character tokenizer)', () => {
  const config = { sourceMaxTokens: 1000, candidateMaxTokens: 4, eosTokenId: 1 };

  it('joins the pieces with </s>, cuts long candidates to the limit and appends "..."', () => {
    expect(fusePromptText(charTokenizer, config, 'I', 'X', ['c0', 'abcdef'])).toBe(
      `Instruction: I</s>Input: X</s>Candidate 0: <extra_id_0>:c0</s>Candidate 1: <extra_id_1>:abcd...</s>${FUSE_INSTRUCTION}`,
    );
  });

  it('over the limit keeps the tail whole; a limit that cannot hold it is a MODEL_INVALID', () => {
    const full = charTokenizer.encode(fusePromptText(charTokenizer, config, 'I', 'X', ['c0']));
    const tight = { ...config, sourceMaxTokens: FUSE_INSTRUCTION.length + 11 };
    const prompt = buildFusePrompt(charTokenizer, tight, 'I', 'X', ['c0']);
    expect(prompt.ids).toEqual([...full.slice(0, 10), 1, ...charTokenizer.encode(FUSE_INSTRUCTION)]);
    let error: unknown;
    try {
      buildFusePrompt(charTokenizer, { ...config, sourceMaxTokens: 10 }, 'I', 'X', ['c0']);
    } catch (e) {
      error = e;
    }
    expect(isBlenderError(error) && error.code).toBe('MODEL_INVALID');
  });

  it.each([
    ['no limits', { eos_token_id: 1 }],
    ['a zero limit', { source_max_tokens: 0, candidate_max_tokens: 4, eos_token_id: 1 }],
    ['no eos id', { source_max_tokens: 9, candidate_max_tokens: 4 }],
  ])('config with %s is MODEL_INVALID', (_name, json) => {
    expect(() => readFuserConfig(json, 'm')).toThrow(expect.objectContaining({ code: 'MODEL_INVALID', argument: 'options.fuser' }));
  });
});
