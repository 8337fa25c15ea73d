// One private Redis for the fleet tests: redis-server on 127.0.0.1 and a free port, no
// persistence, a password (so every fleet test also checks that a password in the URL
// works and never shows in a log), stopped after.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export interface TestRedis {
  port: number;
  password: string;
  /** redis://:password@127.0.0.1:port/<queue> */
  url(queue: string): string;
  client(): Redis;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startRedis(): Promise<TestRedis> {
  const install = spawnSync('bash', ['test/fleet/ensure-redis.sh'], { encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`redis-server is missing and could not be installed: ${install.stderr}`);
  const dir = mkdtempSync(join(tmpdir(), 'llm-blender-redis-'));
  const pidfile = join(dir, 'redis.pid');
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const started = spawnSync(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'yes',
      '--pidfile',
      pidfile,
      '--dir',
      dir,
      '--requirepass',
      password,
    ],
    { encoding: 'utf8' },
  );
  if (started.status !== 0) throw new Error(`redis-server did not start: ${started.stdout}${started.stderr}`);
  const client = () => new Redis({ host: '127.0.0.1', port, password, lazyConnect: true, maxRetriesPerRequest: null });
  const probe = client();
  probe.on('error', () => {});
  await until('redis-server to answer', async () => (await probe.ping().catch(() => '')) === 'PONG');
  probe.disconnect();
  const pid = Number(readFileSync(pidfile, 'utf8'));
  return {
    port,
    password,
    url: (queue) => `redis://:${password}@127.0.0.1:${port}/${queue}`,
    client,
    async stop() {
      try {
        process.kill(pid, 'SIGTERM');
        await until('redis-server to stop', async () => {
          try {
            process.kill(pid, 0);
            return false;
          } catch {
            return true;
          }
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
