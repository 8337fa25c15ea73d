// createBlender's assetsUrl / workerUrl / wasmUrl: where a host serves the worker and ORT's files.
import { describe, expect, it } from 'vitest';
import { readAssetUrls, type AssetUrlOptions } from '../../src/client/asset-urls';
import { readCreateOptions, type BrowserBlenderOptions } from '../../src/client/create-options';
import { isBlenderError } from '../../src/engine/errors';

const PAGE = 'https://app.example/shop/page.html';

function failure(run: () => unknown): [string, string | undefined] | null {
  try {
    run();
  } catch (error) {
    return isBlenderError(error) ? [error.code, error.argument] : ['not a BlenderError', String(error)];
  }
  return null;
}

describe('readAssetUrls', () => {
  it('leaves both null without options: the package finds its files beside its module', () => {
    expect(readAssetUrls({}, PAGE)).toEqual({ workerUrl: null, wasmUrl: null, wasmUrlOption: null });
  });

  it('assetsUrl names the folder of both, relative to the page, with or without a trailing slash', () => {
    const expected = {
      workerUrl: 'https://app.example/shop/vendor/blender/blender.worker.js',
      wasmUrl: 'https://app.example/shop/vendor/blender/',
      wasmUrlOption: 'options.assetsUrl',
    };
    expect(readAssetUrls({ assetsUrl: 'vendor/blender/' }, PAGE)).toEqual(expected);
    expect(readAssetUrls({ assetsUrl: 'vendor/blender' }, PAGE)).toEqual(expected);
    expect(readAssetUrls({ assetsUrl: new URL('https://app.example/shop/vendor/blender') }, PAGE)).toEqual(expected);
    expect(readAssetUrls({ assetsUrl: '/lib' }, PAGE)).toEqual({
      workerUrl: 'https://app.example/lib/blender.worker.js',
      wasmUrl: 'https://app.example/lib/',
      wasmUrlOption: 'options.assetsUrl',
    });
  });

  it('workerUrl and wasmUrl override what assetsUrl implies, each on its own', () => {
    expect(readAssetUrls({ assetsUrl: '/lib/', workerUrl: '/w.js' }, PAGE)).toEqual({
      workerUrl: 'https://app.example/w.js',
      wasmUrl: 'https://app.example/lib/',
      wasmUrlOption: 'options.assetsUrl',
    });
    expect(readAssetUrls({ assetsUrl: '/lib/', wasmUrl: 'https://cdn.example/ort/1.31' }, PAGE)).toEqual({
      workerUrl: 'https://app.example/lib/blender.worker.js',
      wasmUrl: 'https://cdn.example/ort/1.31/',
      wasmUrlOption: 'options.wasmUrl',
    });
    expect(readAssetUrls({ wasmUrl: '/ort/' }, PAGE)).toEqual({ workerUrl: null, wasmUrl: 'https://app.example/ort/', wasmUrlOption: 'options.wasmUrl' });
  });

  it.each<[AssetUrlOptions, string]>([
    [{ assetsUrl: 'http://[bad' }, 'options.assetsUrl'],
    [{ assetsUrl: '' }, 'options.assetsUrl'],
    [{ assetsUrl: 42 as unknown as string }, 'options.assetsUrl'],
    [{ assetsUrl: 'ftp://app.example/lib/' }, 'options.assetsUrl'],
    [{ assetsUrl: '/lib/?v=2' }, 'options.assetsUrl'],
    [{ wasmUrl: 'data:text/plain,x' }, 'options.wasmUrl'],
    [{ wasmUrl: '/ort/#x' }, 'options.wasmUrl'],
    [{ workerUrl: 'javascript:alert(1)' }, 'options.workerUrl'],
    [{ workerUrl: null as unknown as string }, 'options.workerUrl'],
    // Browsers start workers from the page's origin only.
    [{ workerUrl: 'https://cdn.example/blender.worker.js' }, 'options.workerUrl'],
    [{ assetsUrl: 'https://cdn.example/lib/' }, 'options.assetsUrl'],
  ])('%j is an INVALID_OPTION naming %s', (options, argument) => {
    expect(failure(() => readAssetUrls(options, PAGE))).toEqual(['INVALID_OPTION', argument]);
  });

  it('accepts a cross-origin assetsUrl once workerUrl puts the worker on the page origin', () => {
    expect(readAssetUrls({ assetsUrl: 'https://cdn.example/lib/', workerUrl: '/blender.worker.js' }, PAGE)).toEqual({
      workerUrl: 'https://app.example/blender.worker.js',
      wasmUrl: 'https://cdn.example/lib/',
      wasmUrlOption: 'options.assetsUrl',
    });
  });
});

describe('readCreateOptions: asset URLs', () => {
  it('sends wasmUrl to the worker and keeps workerUrl for the page; unknown spellings are refused', () => {
    // No page here (Node): absolute URLs only.
    const checked = readCreateOptions({ ranker: null, assetsUrl: 'https://app.example/lib/', workerUrl: 'https://app.example/lib/w.js' });
    expect([checked.wasmUrl, checked.workerUrl]).toEqual(['https://app.example/lib/', 'https://app.example/lib/w.js']);
    expect(failure(() => readCreateOptions({ ranker: null, assetsURL: '/lib/' } as unknown as BrowserBlenderOptions))).toEqual([
      'UNKNOWN_OPTION',
      'options.assetsURL',
    ]);
    expect(failure(() => readCreateOptions({ ranker: null, wasmUrl: 'nope' }))).toEqual(['INVALID_OPTION', 'options.wasmUrl']);
  });
});
