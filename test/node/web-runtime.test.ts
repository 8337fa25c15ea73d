import { readFileSync } from 'node:fs';
import * as ortWeb from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { RankingEngine } from '../../src/engine/engine';
import { createRankerSession, rankerFile } from '../../src/runtime/common/ort-sessions';
import { goldens } from '../models/pairrm-golden';
import { TINY_PAIRRM, tinyRows } from './tiny-model';

// The worker hosts the same engine on onnxruntime-web. Its WASM backend also runs in Node:
// the engine, the session seam and the tokenizer on the page's runtime, against the goldens.
const { pairs } = goldens;

describe('the engine on onnxruntime-web (WASM, as in the worker)', () => {
  it('reproduces the golden fp32 logits to 1e-4', async () => {
    ortWeb.env.wasm.numThreads = 1;
    const bytes = new Uint8Array(readFileSync(`${TINY_PAIRRM}/${rankerFile('fp32')}`));
    const session = await createRankerSession(ortWeb, bytes, { executionProviders: ['wasm'] }, 'tiny (wasm)');
    const { config, tokenizer } = tinyRows();
    const engine = new RankingEngine(session, tokenizer, config);
    const logits = await engine.compare(
      pairs.map((p) => p.input),
      pairs.map((p) => p.candidate1),
      pairs.map((p) => p.candidate2),
      { mode: '[A,B]', returnLogits: true, instructions: pairs.map((p) => p.instruction) },
    );
    pairs.forEach((p, k) => expect(Math.abs(logits[k]! - p.logit), p.name).toBeLessThan(1e-4));
    await session.release();
  });
});
