// The Chromium half of the benchmark, on the bench page (bench/page/): onnxruntime-web
// throughput (WASM with 1 or 2 threads, WebGPU), the WebGPU adapter probe, and cold / warm
// loads through createBlender with the raw IndexedDB read time and `rank` of typical
// candidates. Every measurement gets a fresh Chromium, so its renderer's peak memory is its own.
import { openBenchPage, startBenchServer } from './lib/chromium.mjs';
import { DTYPE_FILES } from './lib/model.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 4444);
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu'];

export async function startChromiumBench(log) {
  const server = await startBenchServer(PORT);
  let version = null;

  /** Runs `work(page)` in a fresh Chromium and records its renderer's peak memory. */
  async function inFreshBrowser(flags, work) {
    const browser = await openBenchPage(server.url, flags);
    version ??= browser.version;
    try {
      const result = await work(browser.page);
      return { ...result, peakRendererBytes: browser.peakRendererBytes() };
    } finally {
      await browser.close();
    }
  }

  /** The measurements on one model folder (served by the bench server). */
  const forModel = (model) => {
    const modelUrl = `${server.url}/${model.relative}`;

    const throughput = async (backend, dtype, threads, cases) => {
      const reply = await inFreshBrowser(backend === 'webgpu' ? WEBGPU_FLAGS : [], (page) =>
        page.evaluate((request) => window.bench.throughput(request), {
          backend,
          threads,
          dtype,
          url: `${modelUrl}/${DTYPE_FILES[dtype]}`,
          padId: model.config.pad_token_id,
          cases: cases.map(({ level, ...rest }) => rest),
        }),
      );
      if (reply.error) throw new Error(`${backend} ${dtype} ${threads} thread(s): ${reply.error}`);
      return reply;
    };

    const probeWebGpu = async () =>
      (await inFreshBrowser(WEBGPU_FLAGS, async (page) => ({ probe: await page.evaluate(() => window.bench.probeWebGpu()) }))).probe;

    /** Cold load, warm load, raw read; then (with `typical`) rank of typical candidates, each strategy once. */
    const loads = (dtype, typical) =>
      inFreshBrowser([], async (page) => {
        const cold = await page.evaluate(([url, d]) => window.bench.load(url, d, true), [modelUrl, dtype]);
        const warm = await page.evaluate(([url, d]) => window.bench.load(url, d, false), [modelUrl, dtype]);
        const idb = await page.evaluate(([url, file]) => window.bench.idbRead(url, file), [modelUrl, DTYPE_FILES[dtype]]);
        log(
          `  cold ${cold.wallMs.toFixed(0)} ms, warm ${warm.wallMs.toFixed(0)} ms, raw read ${idb.oneTransactionMs.toFixed(0)} (one transaction) / ${idb.sequentialMs.toFixed(0)} (one get per chunk) ms`,
        );
        const rank = [];
        for (const strategy of typical?.strategies ?? []) {
          const timed = await page.evaluate(
            ([input, candidates, s]) => window.bench.rank(input, candidates, { strategy: s }, 1),
            [typical.input, typical.candidates, strategy],
          );
          rank.push({ strategy, n: typical.candidates.length, ...timed });
          log(`  chromium rank ${strategy} N=${typical.candidates.length}: ${timed.passes} passes, ${timed.times[0].toFixed(0)} ms`);
        }
        await page.evaluate(() => window.bench.dispose());
        return { dtype, cold, warm, idb, rank };
      });

    return { throughput, probeWebGpu, loads };
  };

  return {
    get version() {
      return version;
    },
    forModel,
    stop: () => server.stop(),
  };
}
