// The page's ranker (WebGPU on SwiftShader, or WASM) against onnxruntime-node on the golden
// pairs: same fp32 model, same rows, logits within 1e-4.
import { expect, test } from '@playwright/test';
import { createBlender as createNodeBlender } from '../src/node/index';
import { goldens, TINY_PAIRRM } from '../test/models/pairrm-golden';

const columns = {
  instructions: goldens.pairs.map((pair) => pair.instruction),
  inputs: goldens.pairs.map((pair) => pair.input),
  a: goldens.pairs.map((pair) => pair.candidate1),
  b: goldens.pairs.map((pair) => pair.candidate2),
};

async function nodeLogits(): Promise<number[]> {
  const blender = await createNodeBlender({ ranker: TINY_PAIRRM, dtype: 'fp32' });
  try {
    return await blender.compare(columns.inputs, columns.a, columns.b, {
      mode: '[A,B]',
      returnLogits: true,
      instructions: columns.instructions,
    });
  } finally {
    await blender.dispose();
  }
}

test('the page ranker reproduces onnxruntime-node on every golden pair (fp32)', async ({ page }, testInfo) => {
  const expected = await nodeLogits();
  await page.goto('/e2e/harness.html');
  await expect(page.locator('#status')).toHaveText('ready');
  // 'auto' never picks SwiftShader's software adapter: the webgpu project names the device.
  const device = testInfo.project.name === 'webgpu' ? ('webgpu' as const) : ('auto' as const);
  const result = await page.evaluate(
    async ({ data, device }) => {
      const blender = await window.harness.api.createBlender({ ranker: '/models/tiny-pairrm', dtype: 'fp32', device });
      const logits = await blender.compare(data.inputs, data.a, data.b, {
        mode: '[A,B]',
        returnLogits: true,
        instructions: data.instructions,
      });
      const { ranker } = await blender.info();
      await blender.dispose();
      return { logits, backend: ranker!.backend };
    },
    { data: columns, device },
  );

  expect(result.backend).toBe(testInfo.project.name === 'webgpu' ? 'webgpu' : 'wasm');
  expect(result.logits).toHaveLength(goldens.pairs.length);
  const worst = Math.max(...result.logits.map((logit, i) => Math.abs(logit - expected[i]!)));
  testInfo.annotations.push({ type: 'max |page - node| logit', description: worst.toExponential(2) });
  expect(worst).toBeLessThanOrEqual(1e-4);
  // And the page is not trivially right: the golden logits are varied.
  expect(new Set(expected.map((logit) => Math.sign(logit))).size).toBe(2);
});
