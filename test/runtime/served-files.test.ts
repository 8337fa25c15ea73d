// The worker's check of the ORT files a page said it serves (createBlender's wasmUrl / assetsUrl).
import { describe, expect, it } from 'vitest';
import { isBlenderError } from '../../src/engine/errors';
import { checkServedFiles, type HeadFetch } from '../../src/runtime/web/served-files';

const URLS = ['https://app.example/ort/a.wasm', 'https://app.example/ort/a.mjs'];

function answering(statuses: Record<string, number | Error>): { fetchHead: HeadFetch; asked: string[] } {
  const asked: string[] = [];
  const fetchHead: HeadFetch = async (url, init) => {
    asked.push(`${init.method} ${url}`);
    const answer = statuses[url] ?? 200;
    if (answer instanceof Error) throw answer;
    return { ok: answer >= 200 && answer < 300, status: answer };
  };
  return { fetchHead, asked };
}

async function failure(work: Promise<void>): Promise<[string, string | undefined, string] | null> {
  try {
    await work;
    return null;
  } catch (error) {
    return isBlenderError(error) ? [error.code, error.argument, error.message] : ['not a BlenderError', undefined, String(error)];
  }
}

describe('checkServedFiles', () => {
  it('asks for every file with HEAD and passes when all are there', async () => {
    const { fetchHead, asked } = answering({});
    expect(await failure(checkServedFiles(URLS, 'options.wasmUrl', fetchHead))).toBeNull();
    expect(asked.sort()).toEqual(URLS.map((url) => `HEAD ${url}`).sort());
  });

  it('a file answering 404 is an INVALID_OPTION on the option that named the folder, with the URL', async () => {
    const { fetchHead } = answering({ [URLS[1]!]: 404 });
    const [code, argument, message] = (await failure(checkServedFiles(URLS, 'options.assetsUrl', fetchHead)))!;
    expect([code, argument]).toEqual(['INVALID_OPTION', 'options.assetsUrl']);
    expect(message).toContain(URLS[1]);
    expect(message).toContain('404');
  });

  it('a request that fails outright (network, CORS) is DOWNLOAD_FAILED on the option', async () => {
    const { fetchHead } = answering({ [URLS[0]!]: new TypeError('Failed to fetch') });
    const [code, argument, message] = (await failure(checkServedFiles(URLS, 'options.wasmUrl', fetchHead)))!;
    expect([code, argument]).toEqual(['DOWNLOAD_FAILED', 'options.wasmUrl']);
    expect(message).toContain('Failed to fetch');
  });

  it('a server that does not answer HEAD (405, 501) is not taken for a missing file', async () => {
    const { fetchHead } = answering({ [URLS[0]!]: 405, [URLS[1]!]: 501 });
    expect(await failure(checkServedFiles(URLS, 'options.wasmUrl', fetchHead))).toBeNull();
  });
});
