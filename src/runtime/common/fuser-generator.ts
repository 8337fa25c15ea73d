/**
 * The fusion engine's FuserGenerator on a transformers.js seq2seq model, through
 * generateSeq2Seq. Two things wrap the model's decoder step:
 * - a yield to the host before each step: onnxruntime-web's WASM runs settle in
 *   microtasks, so without it an abort message (or a token callback) would wait for the
 *   whole generation; the signal is checked right after;
 * - greedy streaming: the decoder's input at step k holds the tokens chosen at step k-1,
 *   which is the earliest point they are visible outside the search (the last token
 *   arrives with the result).
 */
import type { FuserGenerator } from '../../engine/fusion-engine';
import { yieldToHost } from '../../engine/yield-to-host';
import { generateSeq2Seq, type Seq2SeqModel } from './seq2seq-generate';

export function seq2seqGenerator(model: Seq2SeqModel): FuserGenerator {
  return {
    async generate(rows, { maxNewTokens, numBeams, signal, onToken, sampling }) {
      let step = 0;
      const tapped: Seq2SeqModel = {
        config: model.config,
        _prepare_encoder_decoder_kwargs_for_generation: (args) => model._prepare_encoder_decoder_kwargs_for_generation(args),
        forward: async (inputs) => {
          await yieldToHost();
          signal?.throwIfAborted();
          if (onToken && step > 0) reportTokens(inputs['decoder_input_ids'], onToken);
          step++;
          return model.forward(inputs);
        },
      };
      const sequences = await generateSeq2Seq(tapped, rows, {
        maxNewTokens,
        numBeams,
        ...(signal ? { signal } : {}),
        ...(sampling ? { sampling } : {}),
      });
      // The last step's tokens never reach the decoder: report them from the result.
      if (onToken) sequences.forEach((ids, row) => ids.length === step + 1 && onToken(row, ids[step]!));
      return sequences;
    },
  };
}

function reportTokens(decoderInputIds: unknown, onToken: (row: number, token: number) => void): void {
  const data = (decoderInputIds as { data?: unknown } | undefined)?.data;
  if (!(data instanceof BigInt64Array)) return;
  data.forEach((token, row) => onToken(row, Number(token)));
}
