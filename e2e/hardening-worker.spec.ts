// The worker under misuse, concurrency, cancellation and crashes, in Chromium. The steps
// share one page and its blender (ranker + fuser: each load compiles ORT's wasm anew):
// - the shared misuse table (test/hardening/misuse-cases.ts) through the worker;
// - 5 concurrent calls give the sequential results;
// - cancellation while ranking, generating, downloading and creating the session;
// - the worker killed mid-fuse with a rank pending, then dispose() during a call.
// worker-lifecycle.spec.ts covers a kill mid-rank and an abort mid-rank on their own.
import { expect, test, type Page } from '@playwright/test';
import { casesFor, expectedFor } from '../test/hardening/misuse-cases';
import { FUSER, openHardening, RANKER } from './fixtures/hardening/helpers';

test.describe.configure({ mode: 'serial' });

let page: Page;
const workers: string[] = [];
const pageErrors: string[] = [];

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  page.on('worker', (worker) => workers.push(worker.url()));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await openHardening(page);
});
test.afterAll(() => page.close());

const blenderWorkers = () => workers.filter((url) => url.includes('blender.worker')).length;

test('misuse calls reject with BlenderErrors naming the argument; the worker lives on', async () => {
  const result = await page.evaluate(({ ranker, fuser }) => window.hardening.runMisuse(ranker, fuser), { ranker: RANKER, fuser: FUSER });

  const cases = casesFor('page');
  expect(cases.length).toBeGreaterThanOrEqual(30);
  const expected = cases.map((testCase) => ({ name: testCase.name, kind: 'blender-error', ...expectedFor(testCase, 'page') }));
  const actual = result.outcomes.map(({ name, kind, code, argument }) => ({ name, kind, code, argument }));
  expect(actual).toEqual(expected);
  for (const outcome of result.outcomes) expect(outcome.message!.length, outcome.name).toBeGreaterThan(10);

  expect(result.ranks[0]!.slice().sort()).toEqual([1, 2]);
  expect(result.fused).toHaveLength(1);
  // The blender, the empty one and the disposed one: no worker died and was replaced.
  expect(blenderWorkers()).toBe(3);
});

test('5 concurrent calls give the results of sequential ones', async () => {
  const { sequential, concurrent } = await page.evaluate(async () => {
    const blender = window.hardening.main!;
    const inputs = ['hello, how are you?', 'Summarize: the committee met twice.', ''];
    const candidates = [
      ['fine, thanks!', 'go away', 'I am a model.'],
      ['It met twice.', 'no', 'The committee met.'],
      ['', 'ok'],
    ];
    const calls = [1, 2, 3, 4, 5].map((batchSize) => () => blender.rank(inputs, candidates, { returnScores: true, batchSize }));
    const fuseCall = () => blender.fuse(inputs, candidates, { maxNewTokens: 4, numBeams: 1 });
    const sequential = [];
    for (const call of [...calls, fuseCall]) sequential.push(await call());
    const concurrent = await Promise.all([...calls, fuseCall].map((call) => call()));
    return { sequential, concurrent };
  });
  expect(concurrent).toEqual(sequential);
});

test('cancelling a rank or a generation mid-call: ABORTED, and the same blender goes on', async () => {
  const outcome = await page.evaluate(async () => {
    const blender = window.hardening.main!;
    const codeOf = (work: Promise<unknown>) =>
      work.then(
        () => 'finished',
        (error: { code: string }) => error.code,
      );
    const ranking = new AbortController();
    const rank = await codeOf(
      blender.rank(['q'], [Array.from({ length: 30 }, (_, i) => `candidate ${i}`)], {
        batchSize: 1,
        signal: ranking.signal,
        onProgress: () => ranking.abort(),
      }),
    );
    const generating = new AbortController();
    const fuse = await codeOf(
      blender.fuse(['q'], [['a long answer', 'another']], {
        maxNewTokens: 64,
        numBeams: 1,
        signal: generating.signal,
        onToken: () => generating.abort(),
      }),
    );
    const fresh = await blender.fuse(['q'], [['yes', 'no']], { maxNewTokens: 4, numBeams: 1 });
    const again = await blender.fuse(['q'], [['yes', 'no']], { maxNewTokens: 4, numBeams: 1 });
    const ranks = await blender.rank(['q'], [['yes', 'no']]);
    return { rank, fuse, fresh, again, ranks };
  });
  expect(outcome.rank).toBe('ABORTED');
  expect(outcome.fuse).toBe('ABORTED');
  expect(outcome.again).toEqual(outcome.fresh);
  expect(outcome.ranks[0]!.slice().sort()).toEqual([1, 2]);
});

test('cancelling a load while downloading or creating the session: ABORTED, the cache stays sound', async () => {
  await page.evaluate(() => window.hardening.clearCache());
  const stages = await page.evaluate(
    async ({ ranker, fuser }) => {
      const outcomes: Record<string, string> = {};
      for (const stage of ['download', 'session'] as const) {
        const controller = new AbortController();
        outcomes[stage] = await window.hardening.api
          .createBlender({
            ranker,
            fuser,
            device: 'wasm',
            signal: controller.signal,
            onProgress: (event) => {
              if (event.stage === stage) controller.abort();
            },
          })
          .then(
            async (blender) => {
              await blender.dispose();
              return 'finished';
            },
            (error: { code: string; argument?: string }) => `${error.code} ${error.argument}`,
          );
      }
      return outcomes;
    },
    { ranker: RANKER, fuser: FUSER },
  );
  expect(stages).toEqual({ download: 'ABORTED options.signal', session: 'ABORTED options.signal' });
  // Whatever the stopped workers had written, no stored file disagrees with its record.
  expect(await page.evaluate(() => window.hardening.unsoundStoredFiles())).toEqual([]);
});

test('the worker killed mid-fuse: pending calls reject with WORKER_CRASHED, the next call works', async () => {
  await page.evaluate(() => {
    const blender = window.hardening.main!;
    let generating!: () => void;
    const started = new Promise<void>((resolve) => (generating = resolve));
    const codeOf = (work: Promise<unknown>) =>
      work.then(
        () => 'finished',
        (error: { code: string }) => error.code,
      );
    const pending = Promise.all([
      codeOf(blender.fuse(['q'], [['a long answer', 'another']], { maxNewTokens: 64, numBeams: 1, onToken: () => generating() })),
      codeOf(blender.rank(['q'], [Array.from({ length: 30 }, (_, i) => `candidate ${i}`)], { batchSize: 1 })),
    ]);
    Object.assign(window, { pending, started });
  });
  await page.evaluate(() => (window as unknown as { started: Promise<void> }).started);
  const live = page.workers().filter((worker) => worker.url().includes('blender.worker'));
  await Promise.all(live.map((worker) => worker.evaluate(() => self.close()).catch(() => undefined)));
  expect(await page.evaluate(() => (window as unknown as { pending: Promise<string[]> }).pending)).toEqual(['WORKER_CRASHED', 'WORKER_CRASHED']);

  const after = await page.evaluate(async () => {
    const blender = window.hardening.main!;
    return { ranks: await blender.rank(['q'], [['yes', 'no']]), fused: await blender.fuse(['q'], [['yes', 'no']], { maxNewTokens: 2, numBeams: 1 }) };
  });
  expect(after.ranks[0]!.slice().sort()).toEqual([1, 2]);
  expect(after.fused).toHaveLength(1);
});

test('dispose() during a call rejects it with DISPOSED, cleanly', async () => {
  const outcome = await page.evaluate(async () => {
    const blender = window.hardening.main!;
    let generating!: () => void;
    const started = new Promise<void>((resolve) => (generating = resolve));
    const fuse = blender.fuse(['q'], [['a long answer', 'another']], { maxNewTokens: 64, numBeams: 1, onToken: () => generating() }).then(
      () => 'finished',
      (error: { code: string }) => error.code,
    );
    await started;
    await blender.dispose();
    const later = await blender.rank(['q'], [['a']]).then(
      () => 'finished',
      (error: { code: string }) => error.code,
    );
    return { fuse: await fuse, later };
  });
  expect(outcome).toEqual({ fuse: 'DISPOSED', later: 'DISPOSED' });
  expect(pageErrors).toEqual([]);
});
