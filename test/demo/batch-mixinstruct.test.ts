// One parser for the page and the command line: the committed MixInstruct-format sample read
// by the demo's batch path (parseBatchFile -> runBatch -> summarise) with the synth ranker in
// Node gives the same ranks as the eval command's row work (readEvalInput -> rankRows) and the
// same per-model win rates and mean ranks as eval's summary.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parseBatchFile, type RankRow } from '../../src/datasets/batch-rows';
import { runBatch } from '../../src/demo/batch/batch-runner';
import { summarise } from '../../src/demo/batch/batch-summary';
import { readEvalInput } from '../../src/node/eval/eval-input';
import { rankRows } from '../../src/node/eval/rank-rows';
import { SummaryAccumulator } from '../../src/node/eval/summary';
import { createBlender } from '../../src/node/index';

const SAMPLE = 'test/fixtures/datasets/mixinstruct-sample.jsonl';

it('the demo batch and eval rank the MixInstruct sample alike, per model', async () => {
  const blender = await createBlender({ ranker: 'public/models/synth-pairrm' });
  try {
    const batch = parseBatchFile('mixinstruct-sample.jsonl', readFileSync(SAMPLE, 'utf8'));
    expect(batch.models).toEqual(['strong-13b', 'steady-7b', 'mixed-7b', 'weak-3b', 'terse-1b']);
    const page = await runBatch(blender, batch.rows, { strategy: 'full', signal: new AbortController().signal });
    const pageRanks = page.outcomes.map((outcome) => (outcome.kind === 'rank' ? outcome.ranks : null));

    const rows: RankRow[] = [];
    for await (const item of readEvalInput(SAMPLE)) if (item.kind === 'row') rows.push(item.row);
    const { records, failed } = await rankRows(blender, rows, { strategy: 'full', matrix: false });
    expect(failed).toEqual([]);
    expect(records.map((record) => record.ranks)).toEqual(pageRanks);

    const cli = new SummaryAccumulator('full');
    records.forEach((record, i) => cli.add(rows[i]!, record));
    const pageSummary = summarise(batch.kind, batch.models, page.outcomes, 'full');
    expect(pageSummary.columns.map((c) => [c.model, c.winRate, c.meanRank])).toEqual(
      cli.finish({ pairs: 0, rows: 0, seconds: 0 }).models.map((m) => [m.model, m.winRate, m.meanRank]),
    );
  } finally {
    await blender.dispose();
  }
});
