/**
 * The real RankingEngine over a model that reads its logits from a given matrix, so every
 * strategy runs its own code on simulated preferences. Candidate i is the one-character text
 * U+4E00 + i; the model finds the two candidates of a row after their marker ids and returns
 * matrix[first][second]. Every row of a call has the same length and batches are unbounded,
 * so each scorer call is exactly one model run: the runs counted are the strategy's rounds.
 */
import { ENGINE_DEFAULTS } from '../../src/engine/call-options';
import { RankingEngine } from '../../src/engine/engine';
import type { ContentTokenizer } from '../../src/engine/encode';
import { PairCache } from '../../src/engine/pair-cache';
import type { PairModel } from '../../src/engine/pair-scorer';
import type { PairRankerConfig, RankOptions } from '../../src/engine/types';

const CONFIG: PairRankerConfig = {
  padTokenId: 0,
  clsTokenId: 1,
  sepTokenId: 2,
  sourcePrefixId: 3,
  cand1PrefixId: 4,
  cand2PrefixId: 5,
  sourceMaxLength: 32,
  candidateMaxLength: 8,
};
const FIRST_CANDIDATE = 0x4e00;
/** Content ids are code points + 10: never a special or marker id. */
const ID_OFFSET = 10;

export const candidateText = (index: number): string => String.fromCodePoint(FIRST_CANDIDATE + index);

class CodePointTokenizer implements ContentTokenizer {
  encodePlain(text: string, maxTokens?: number): number[] {
    const ids = [...text].map((c) => c.codePointAt(0)! + ID_OFFSET);
    return maxTokens === undefined ? ids : ids.slice(0, maxTokens);
  }
}

class MatrixModel implements PairModel {
  matrix: readonly (readonly number[])[] = [];
  runs = 0;

  async run(inputIds: BigInt64Array, _mask: BigInt64Array, batch: number, seqLength: number): Promise<Float32Array> {
    this.runs++;
    const out = new Float32Array(batch);
    for (let r = 0; r < batch; r++) {
      const row = Array.from(inputIds.subarray(r * seqLength, (r + 1) * seqLength), Number);
      const index = (marker: number) => row[row.indexOf(marker) + 1]! - ID_OFFSET - FIRST_CANDIDATE;
      out[r] = this.matrix[index(CONFIG.cand1PrefixId)]![index(CONFIG.cand2PrefixId)]!;
    }
    return out;
  }
}

export interface MatrixRankResult {
  ranks: number[];
  passes: number;
  rounds: number;
}

/** Ranks simulated sets, one `rank` call per set. */
export class MatrixRanker {
  private readonly model = new MatrixModel();
  // Pair cache off: each call pays for every pass its strategy asks for, as in the Node part.
  private readonly engine = new RankingEngine(this.model, new CodePointTokenizer(), CONFIG, ENGINE_DEFAULTS, new PairCache(0));

  /** `setId` makes the source text unique per call: no row of one call can stand for another's. */
  async rank(matrix: readonly (readonly number[])[], setId: number, options: Readonly<Record<string, unknown>>): Promise<MatrixRankResult> {
    this.model.matrix = matrix;
    const runsBefore = this.model.runs;
    const passesBefore = this.engine.stats.passes;
    const candidates = matrix.map((_, i) => candidateText(i));
    // The variants' options are checked by the engine at run time (a strategy may not have
    // landed yet: bench/strategies/variants.ts probes them), so they are not typed as RankOptions.
    const callOptions = { ...options, batchSize: 2 ** 30, tokenBudget: 2 ** 40 } as RankOptions & { returnMatrix?: false };
    const [ranks] = await this.engine.rank<false>([`#${setId}`], [candidates], callOptions);
    return { ranks: ranks!, passes: this.engine.stats.passes - passesBefore, rounds: this.model.runs - runsBefore };
  }
}
