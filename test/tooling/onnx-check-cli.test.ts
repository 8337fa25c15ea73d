// tools/common/onnx_check.mjs is how the Python tooling runs ONNX models (there is no
// Python onnxruntime): its JSON-in / JSON-out contract, on both backends.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const fixtures = join(root, 'test/fixtures/tooling');
const quant = JSON.parse(readFileSync(join(fixtures, 'quant_io.json'), 'utf8')) as {
  feeds: Record<string, unknown>;
  expected: Record<'fp32', Record<'y' | 'e', { dims: number[]; data: number[] }>>;
};

interface Printed {
  type: string;
  dims: number[];
  data: number[];
}

describe('onnx_check.mjs', () => {
  test.each(['node', 'wasm'])('prints every output as {type, dims, data} (--backend %s)', (backend) => {
    const dir = mkdtempSync(join(tmpdir(), 'onnx-check-'));
    const feeds = join(dir, 'feeds.json');
    writeFileSync(feeds, JSON.stringify(quant.feeds));
    const stdout = execFileSync(
      'node',
      [join(root, 'tools/common/onnx_check.mjs'), '--model', join(fixtures, 'quant.onnx'), '--feeds', feeds, '--backend', backend],
      { encoding: 'utf8' },
    );
    const out = JSON.parse(stdout) as Record<string, Printed>;
    expect(Object.keys(out)).toEqual(['y', 'e']);
    for (const name of ['y', 'e'] as const) {
      const want = quant.expected.fp32[name];
      expect(out[name]!.type).toBe('float32');
      expect(out[name]!.dims).toEqual(want.dims);
      out[name]!.data.forEach((v, i) => expect(Math.abs(v - want.data[i]!)).toBeLessThan(1e-5));
    }
  });

  test('fails loudly on a bad backend', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onnx-check-'));
    const feeds = join(dir, 'feeds.json');
    writeFileSync(feeds, JSON.stringify(quant.feeds));
    const args = [join(root, 'tools/common/onnx_check.mjs'), '--model', join(fixtures, 'quant.onnx'), '--feeds', feeds, '--backend', 'gpu'];
    let stderr = '';
    try {
      execFileSync('node', args, { stdio: 'pipe', encoding: 'utf8' });
    } catch (err) {
      stderr = String((err as { stderr?: string }).stderr);
    }
    expect(stderr).toContain('--backend must be node or wasm, got gpu');
  });
});
