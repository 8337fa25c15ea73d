import { access, readFile } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';
import { BlenderError } from '../../engine/errors';
import type { ModelFiles } from '../common/model-files';

/** A model folder on disk; a relative folder is resolved against the current directory. */
export function diskModelFiles(folder: string): ModelFiles {
  const root = isAbsolute(folder) ? folder : resolve(process.cwd(), folder);
  const full = (path: string) => resolve(root, ...path.split('/'));
  return {
    location: root,
    async has(path) {
      try {
        await access(full(path));
        return true;
      } catch {
        return false;
      }
    },
    async readJson(path) {
      const text = await readFile(full(path), 'utf8');
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new BlenderError('MODEL_INVALID', `${root}${sep}${path} is not valid JSON: ${String(error)}`, 'options.ranker', {
          cause: error,
        });
      }
    },
    // onnxruntime-node opens the file itself, external data (model.onnx_data) included.
    onnxModel: async (path) => full(path),
  };
}
