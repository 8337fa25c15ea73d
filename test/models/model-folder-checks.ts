// Checks every bundled PairRM folder must pass, whatever its weights: the four variants are
// there, the folder fits its size limit, and manifest.json describes exactly what is on disk.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { readJson } from './pairrm-golden';

export const PAIRRM_VARIANTS = ['model.onnx', 'model_fp16.onnx', 'model_quantized.onnx', 'model_q4.onnx'];

export function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

export function expectEveryVariantWithin(folder: string, maxBytes: number): void {
  const files = listFiles(folder);
  for (const name of PAIRRM_VARIANTS) expect(files).toContain(join(folder, 'onnx', name));
  expect(files.reduce((sum, f) => sum + statSync(f).size, 0)).toBeLessThanOrEqual(maxBytes);
}

export function expectManifestMatchesFolder(folder: string): void {
  const manifest = readJson<{ files: { path: string; bytes: number; sha256: string }[] }>(join(folder, 'manifest.json'));
  const onDisk = listFiles(folder)
    .map((f) => relative(folder, f).split('\\').join('/'))
    .filter((f) => f !== 'manifest.json')
    .sort();
  expect(manifest.files.map((f) => f.path).sort()).toEqual(onDisk);
  for (const entry of manifest.files) {
    const bytes = readFileSync(join(folder, entry.path));
    expect(bytes.length, entry.path).toBe(entry.bytes);
    expect(createHash('sha256').update(bytes).digest('hex'), entry.path).toBe(entry.sha256);
  }
}
