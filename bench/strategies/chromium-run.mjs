// The strategies' wall time in a page: synth-pairrm (the tiny model) through createBlender in
// Chromium on WASM (the bench page, bench/page/), pair cache off, each strategy warmed up once
// on the first set, then the sets with the strategies in a rotating order (as in the Node
// part). Only wall time and passes: the rankings are the Node part's (same model, same
// engine), so agreement is not measured twice. The model folder is given as in the repo
// (public/models/...); the dev server serves public/ at its root.
/* global window -- page.evaluate callbacks run in the page */
import { median } from '../lib/stats.mjs';
import { openBenchPage, startBenchServer } from '../lib/chromium.mjs';

/**
 * @param {{ model: string, dtype: string, sizes: number[], setsPerN: number, sets: Record<string, {instruction: string, input: string, candidates: string[]}[]>,
 *           variantsFor: (n: number) => {key: string, label: string, options: object, maxPasses: (n: number) => number, seeded: boolean}[],
 *           optionsFor: (variant: object, setIndex: number) => object, port: number }} settings
 */
export async function runChromium(settings, log) {
  const server = await startBenchServer(settings.port);
  const browser = await openBenchPage(server.url);
  const { page } = browser;
  try {
    const loaded = await page.evaluate(
      ([url, dtype]) => window.bench.load(url, dtype, false, 0),
      [`${server.url}/${settings.model.replace(/^public\//, '')}`, settings.dtype],
    );
    const environment = await page.evaluate(() => window.bench.environment());
    const rank = (set, options) =>
      page.evaluate(([input, candidates, o]) => window.bench.rank(input, candidates, o, 1), [set.instruction + set.input, set.candidates, options]);
    const out = {
      model: settings.model,
      dtype: settings.dtype,
      device: 'wasm',
      chromium: browser.version,
      wasm: loaded.wasm,
      environment,
      loadMs: loaded.wallMs,
      sizes: [],
    };
    for (const n of settings.sizes) {
      const sets = (settings.sets[String(n)] ?? []).slice(0, settings.setsPerN);
      const variants = settings.variantsFor(n);
      for (const variant of variants) await rank(sets[0], settings.optionsFor(variant, 0));
      const times = variants.map(() => []);
      const passes = variants.map(() => []);
      const started = performance.now();
      for (const [k, set] of sets.entries()) {
        for (let step = 0; step < variants.length; step++) {
          const v = (k + step) % variants.length;
          const timed = await rank(set, settings.optionsFor(variants[v], k));
          times[v].push(timed.times[0]);
          passes[v].push(timed.passes);
        }
      }
      const fullMs = times[0].reduce((a, b) => a + b, 0);
      out.sizes.push({
        n,
        sets: sets.length,
        variants: variants.map((variant, v) => {
          const totalMs = times[v].reduce((a, b) => a + b, 0);
          const maxPasses = variant.maxPasses(n);
          return {
            key: variant.key,
            label: variant.label,
            passes: { median: median(passes[v]), max: Math.max(...passes[v]) },
            maxPasses,
            withinBound: Math.max(...passes[v]) <= maxPasses,
            totalMs,
            ratioToFull: totalMs / fullMs,
          };
        }),
      });
      log(`chromium wasm ${settings.model} N=${n}: ${sets.length} sets, ${variants.length} strategies, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    await page.evaluate(() => window.bench.dispose());
    return out;
  } finally {
    await browser.close();
    await server.stop();
  }
}
