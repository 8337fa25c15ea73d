// `npm run test:package`: the packed tarball (tools/build/pack.mjs) checked as consumers will
// see it. publint: package.json's exports, files and fields point at files that exist, in the
// right formats. Are the Types Wrong (attw): TypeScript resolves both entries' declarations
// under node16 (ESM) and bundler resolution; the esm-only profile, because the package has
// no CommonJS entry on purpose.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { packedTarball, ROOT } from './pack.mjs';

const tarball = packedTarball();
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
execFileSync(bin('publint'), ['run', tarball, '--strict'], { stdio: 'inherit' });
execFileSync(bin('attw'), [tarball, '--profile', 'esm-only'], { stdio: 'inherit' });
