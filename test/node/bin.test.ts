// The published `llm-blender-web` command, built as `npm run build` builds it, fed a short
// stdin (which it must not lose while the model loads).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';

let outDir: string;

beforeAll(async () => {
  // Inside the repository, so the build's bare imports resolve from its node_modules.
  mkdirSync('node_modules/.cache', { recursive: true });
  outDir = mkdtempSync(join('node_modules/.cache', 'llm-blender-bin-'));
  await build({ configFile: 'vite.config.ts', mode: 'node', logLevel: 'silent', build: { outDir } });
});

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

it('ranks JSON Lines from stdin and exits 0', () => {
  const rows = [
    { input: 'hello, how are you?', candidates: ['fine, thanks!', 'go away', 'hi'] },
    { instruction: 'Answer briefly.', input: 'x', candidates: ['a', 'b'] },
  ];
  const run = spawnSync('node', [join(outDir, 'bin.js'), 'rank', '--ranker', 'public/models/tiny-pairrm'], {
    input: rows.map((row) => JSON.stringify(row)).join('\n') + '\n',
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const out = run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { ranks: number[] });
  expect(out.map((row) => row.ranks.slice().sort())).toEqual([
    [1, 2, 3],
    [1, 2],
  ]);
});

it('exits 2 with the usage on a bad command line', () => {
  const run = spawnSync('node', [join(outDir, 'bin.js'), 'rank'], { input: '', encoding: 'utf8' });
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/usage: llm-blender-web/);
});
