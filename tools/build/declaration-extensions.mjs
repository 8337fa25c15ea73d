// Gives the relative imports of the emitted declarations (dist/types) their `.js` extension.
// The source imports without extensions (moduleResolution "bundler"), and tsc copies the
// specifiers as written; TypeScript projects that resolve like Node (`node16`, `nodenext`)
// need the extension, or every type of the package resolves to `any`. Run after tsc.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = fileURLToPath(new URL('../../dist/types', import.meta.url));
// `from './x'`, `import('./x')`, `import './x'` in a declaration file.
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g;

function* declarationFiles(folder) {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) yield* declarationFiles(path);
    else if (name.endsWith('.d.ts')) yield path;
  }
}

function withExtension(file, specifier) {
  if (/\.(js|mjs|cjs|json)$/.test(specifier)) return specifier;
  const target = resolve(dirname(file), specifier);
  if (existsSync(`${target}.d.ts`)) return `${specifier}.js`;
  if (existsSync(join(target, 'index.d.ts'))) return `${specifier}/index.js`;
  throw new Error(`${file}: cannot resolve ${specifier} to a declaration file`);
}

let changed = 0;
for (const file of declarationFiles(TYPES)) {
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(SPECIFIER, (_whole, keyword, quote, specifier) => `${keyword}${quote}${withExtension(file, specifier)}${quote}`);
  if (fixed !== text) {
    writeFileSync(file, fixed);
    changed += 1;
  }
}
console.log(`declarations: relative imports given their .js extension in ${changed} files`);
