// The shared misuse table (test/hardening/misuse-cases.ts) in Chromium, through the worker:
// every call rejects with a BlenderError naming the argument, none hangs, none kills the
// worker (no worker is started but the harness's three), and valid calls work after it.
import { expect, test } from '@playwright/test';
import { casesFor, expectedFor } from '../test/hardening/misuse-cases';
import { FUSER, openHardening, RANKER } from './fixtures/hardening/helpers';

test('misuse calls reject with BlenderErrors naming the argument; the worker lives on', async ({ page }) => {
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  await openHardening(page);
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
  expect(workers.filter((url) => url.includes('blender.worker'))).toHaveLength(3);
});
