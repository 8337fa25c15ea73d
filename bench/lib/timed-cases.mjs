// Runs benchmark cases on any "run(ids, mask, batch, length) -> logits" function and times
// them the same way everywhere: optional warm-up run, then `runs` timed runs, median.
import { median } from './stats.mjs';
import { packRows } from './rows.mjs';

/**
 * A case: { key, rows: number[][], padTo?: number, runs, warmup }. Rows of a case have one
 * length; `padTo` pads them further (the reference's padding to 2048).
 */
export async function timeCases(cases, padId, run, log = () => {}) {
  const results = [];
  for (const item of cases) {
    const length = item.padTo ?? item.rows[0].length;
    const { ids, mask } = packRows(item.rows, length, padId);
    if (item.warmup) await run(ids, mask, item.rows.length, length);
    const times = [];
    let logits = null;
    for (let k = 0; k < item.runs; k++) {
      const started = performance.now();
      const output = await run(ids, mask, item.rows.length, length);
      times.push(performance.now() - started);
      logits ??= Array.from(output);
    }
    const ms = median(times);
    results.push({ key: item.key, batch: item.rows.length, length, times, medianMs: ms, logits });
    log(`${item.key}: ${ms.toFixed(0)} ms per run (${(ms / item.rows.length).toFixed(0)} ms per pair) [${times.map((t) => t.toFixed(0)).join(', ')}]`);
  }
  return results;
}
