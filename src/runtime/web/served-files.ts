/**
 * Checks that the files a page said it serves (createBlender's `wasmUrl` / `assetsUrl`) are
 * there, before onnxruntime-web needs them: a missing file is then an error naming the option,
 * not a session that fails to load with the model's name on it.
 */
import { BlenderError } from '../../engine/errors';

export type HeadFetch = (url: string, init: { method: 'HEAD' }) => Promise<{ ok: boolean; status: number }>;

/**
 * HEAD each of `urls`. An HTTP error is an `INVALID_OPTION` on `option` (nothing is served
 * there); a request that fails outright (network, CORS) is `DOWNLOAD_FAILED` on `option`. A
 * server that does not answer HEAD (405, 501) is given the benefit of the doubt.
 */
export async function checkServedFiles(urls: readonly string[], option: string, fetchHead: HeadFetch): Promise<void> {
  await Promise.all(
    urls.map(async (url) => {
      let response: { ok: boolean; status: number };
      try {
        response = await fetchHead(url, { method: 'HEAD' });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new BlenderError('DOWNLOAD_FAILED', `${option}: could not fetch ${url} (${reason})`, option);
      }
      if (!response.ok && response.status !== 405 && response.status !== 501) {
        throw new BlenderError(
          'INVALID_OPTION',
          `${option}: ${url} answered HTTP ${response.status}; serve the package's dist/browser files (onnxruntime-web's .wasm and .mjs) there`,
          option,
        );
      }
    }),
  );
}
