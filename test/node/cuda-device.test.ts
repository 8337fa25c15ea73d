// device 'cuda' in Node: onnxruntime-node's npm build has only its CPU provider; the CUDA
// provider's libraries are a separate install. Where they are absent (as here), asking for
// 'cuda' is BACKEND_UNAVAILABLE naming options.device and saying how to install them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBlenderError } from '../../src/engine/errors';
import { createBlender } from '../../src/node/index';
import { cudaProviderFiles, missingCudaFiles, onnxruntimeNodeBinDir } from '../../src/runtime/node/cuda-provider';

describe("device 'cuda'", () => {
  it('finds the provider libraries only when both are in the folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ort-bin-'));
    try {
      expect(missingCudaFiles(dir, 'linux')).toEqual(['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so']);
      writeFileSync(join(dir, 'libonnxruntime_providers_cuda.so'), '');
      expect(missingCudaFiles(dir, 'linux')).toEqual(['libonnxruntime_providers_shared.so']);
      writeFileSync(join(dir, 'libonnxruntime_providers_shared.so'), '');
      expect(missingCudaFiles(dir, 'linux')).toEqual([]);
      expect(cudaProviderFiles('win32')).toEqual(['onnxruntime_providers_shared.dll', 'onnxruntime_providers_cuda.dll']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects with BACKEND_UNAVAILABLE and how to install the provider when onnxruntime-node has none', async () => {
    // This checkout's onnxruntime-node: the test is about the build that is installed here.
    expect(missingCudaFiles(onnxruntimeNodeBinDir())).not.toEqual([]);
    const error: unknown = await createBlender({ ranker: 'public/models/synth-pairrm', device: 'cuda' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isBlenderError(error) && error.code).toBe('BACKEND_UNAVAILABLE');
    expect(isBlenderError(error) && error.argument).toBe('options.device');
    expect((error as Error).message).toMatch(/ONNXRUNTIME_NODE_INSTALL=cuda12/);
    expect((error as Error).message).toContain('libonnxruntime_providers_cuda.so');
  });
});
