// Runs one benchmark child process (a runner) with a JSON job file and reads its JSON result.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `env` adds to the environment; a key set to null is removed from it. */
export async function runJob(command, args, job, env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-job-'));
  const jobPath = join(dir, 'job.json');
  const outPath = join(dir, 'out.json');
  writeFileSync(jobPath, JSON.stringify(job));
  try {
    const code = await new Promise((resolve, reject) => {
      const merged = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, value]) => value !== null));
      const child = spawn(command, [...args, jobPath, outPath], { stdio: ['ignore', 'inherit', 'inherit'], env: merged });
      child.on('error', reject);
      child.on('exit', (status, signal) => resolve(status ?? signal));
    });
    if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${code})`);
    return JSON.parse(readFileSync(outPath, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
