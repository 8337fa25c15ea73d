// What machine and software a run measured, for RESULTS.md.
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';

/** Peak resident memory of this process (VmHWM), in bytes, or null off Linux. */
export function peakMemoryBytes(pid = 'self') {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function tryRun(command) {
  try {
    return execSync(command, { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

function osName() {
  try {
    return /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? `Linux ${release()}`;
  } catch {
    return `${process.platform} ${release()}`;
  }
}

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).version;
  } catch {
    return null;
  }
}

export function describeMachine({ chromium, torch } = {}) {
  return {
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    cores: cpus().length,
    ramGiB: Math.round(totalmem() / 2 ** 30),
    os: `${osName()} (kernel ${release()})`,
    node: process.version,
    chromium: chromium ?? null,
    torch: torch ?? null,
    onnxruntimeNode: packageVersion('onnxruntime-node'),
    onnxruntimeWeb: packageVersion('onnxruntime-web'),
    blas: tryRun('update-alternatives --query libblas.so.3-x86_64-linux-gnu | sed -n "s/^Value: //p"'),
    commit: tryRun('git rev-parse --short HEAD'),
    dirty: Boolean(tryRun('git status --porcelain -- src workers bench/page')),
    date: new Date().toISOString(),
    // Read as the run ends: the 15-minute average covers most of it (the run itself keeps
    // about 2 runnable); more means other jobs shared the cores.
    loadAverage15: loadavg()[2],
  };
}
