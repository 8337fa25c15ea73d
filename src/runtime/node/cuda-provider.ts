// Whether onnxruntime-node can open CUDA sessions here. Its npm package bundles only the CPU
// provider (and WebGPU); the CUDA provider is a separate download that its install script
// fetches on request, into the same folder as the binding. Without those libraries a 'cuda'
// session fails deep inside onnxruntime with a loader error, so we look first and say how to
// install it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BlenderError } from '../../engine/errors';

/** The libraries onnxruntime loads for its CUDA execution provider (Windows: .dll without "lib"; macOS has none). */
export function cudaProviderFiles(platform: NodeJS.Platform = process.platform): string[] {
  const names = ['onnxruntime_providers_shared', 'onnxruntime_providers_cuda'];
  return platform === 'win32' ? names.map((name) => `${name}.dll`) : names.map((name) => `lib${name}.so`);
}

export const CUDA_INSTALL_HINT =
  "install onnxruntime-node's CUDA 12 provider (Linux x64, with CUDA 12 and cuDNN 9 on the machine): " +
  'ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js ' +
  "(or reinstall with npm's --onnxruntime-node-install=cuda12); docs/scale-out.md#gpu-workers";

/** Where onnxruntime-node keeps its native binding and providers on this platform. */
export function onnxruntimeNodeBinDir(): string {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('onnxruntime-node/package.json'));
  return join(root, 'bin', 'napi-v6', process.platform, process.arch);
}

/** The provider files missing from `dir` (none missing: CUDA sessions can be opened). */
export function missingCudaFiles(dir: string, platform: NodeJS.Platform = process.platform): string[] {
  return cudaProviderFiles(platform).filter((file) => !existsSync(join(dir, file)));
}

/** Throws BACKEND_UNAVAILABLE (naming options.device, saying how to install it) when the CUDA provider is absent. */
export function requireCudaProvider(dir = onnxruntimeNodeBinDir()): void {
  const missing = missingCudaFiles(dir);
  if (missing.length === 0) return;
  throw new BlenderError(
    'BACKEND_UNAVAILABLE',
    `device 'cuda' needs onnxruntime-node's CUDA provider, which is not installed here (${dir} has no ${missing.join(', ')}; ` +
      `this build of onnxruntime-node has only its CPU provider): ${CUDA_INSTALL_HINT}`,
    'options.device',
  );
}
