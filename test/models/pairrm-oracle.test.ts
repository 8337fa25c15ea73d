// The exported oracle model (tools/pairrm/export.py run on the committed checkpoint
// test/fixtures/oracle-checkpoints/deberta) must reproduce Hugging Face's own DeBERTa-v2
// outputs: the only evidence here that the export
// equals the real PairRM (log-bucketed positions in the long rows, padded batches).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, openSession, runPairRM } from './pairrm-onnx';

const FIXTURE = fileURLToPath(new URL('../fixtures/oracle-pairrm', import.meta.url));
const TOLERANCE = 1e-4;

interface OracleRow {
  length: number;
  logit: number;
  hidden_at_markers: { source: number[]; cand1: number[]; cand2: number[] };
}
interface OracleCase {
  name: string;
  input_ids: number[][];
  attention_mask: number[][];
  rows: OracleRow[];
}

const cases = (JSON.parse(readFileSync(join(FIXTURE, 'oracle-cases.json'), 'utf8')) as { cases: OracleCase[] }).cases;

describe('oracle PairRM exported to ONNX (onnxruntime-node)', () => {
  const session = openSession(join(FIXTURE, 'onnx/model.onnx'));

  it('covers the long rows and padded batches', () => {
    expect(cases.map((c) => c.name)).toEqual(expect.arrayContaining(['long_200', 'long_420', 'batch2_padded_long']));
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: logits and marker hidden states within 1e-4', async (_name, c) => {
    const out = await runPairRM(await session, c.input_ids, c.attention_mask);
    const wantLogits = c.rows.map((r) => r.logit);
    const wantHidden = c.rows.flatMap((r) => [...r.hidden_at_markers.source, ...r.hidden_at_markers.cand1, ...r.hidden_at_markers.cand2]);
    expect(maxAbsDiff(out.logits, wantLogits)).toBeLessThanOrEqual(TOLERANCE);
    expect(maxAbsDiff(out.markerHidden, wantHidden)).toBeLessThanOrEqual(TOLERANCE);
  });
});
