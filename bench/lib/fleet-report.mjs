// bench/fleet.json (bench/fleet.mjs) -> the "Scale-out" section of RESULTS.md: eval on 1, 2, 4
// worker processes of 1 thread each against a local eval with the same total threads.

const table = (header, rows) =>
  [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const spread = (value, range) => (range ? `${value.toFixed(1)} (${range[0].toFixed(1)}-${range[1].toFixed(1)})` : value.toFixed(1));

export function fleetSection(fleet) {
  if (!fleet) return 'Not measured: run `vite build --mode node && node bench/fleet.mjs` (needs redis-server).';
  const one = fleet.configs.find((c) => c.workers === 1);
  const rows = fleet.configs.map((c) => [
    `${c.workers}`,
    spread(c.localRowsPerSecond, c.localRowsPerSecondRange),
    spread(c.fleetRowsPerSecond, c.fleetRowsPerSecondRange),
    (c.fleetRowsPerSecond / c.localRowsPerSecond).toFixed(2),
    c.workerRowsPerSecond.toFixed(1),
    `${(100 * c.idle).toFixed(0)}% (${c.idleMsPerJob.toFixed(0)} ms per job)`,
  ]);
  const overhead = !one
    ? ''
    : `Queue overhead at 1 worker against 1 local thread: **${one.idleMsPerJob.toFixed(0)} ms per job** of the worker's time outside any job (the queue's latency as ` +
      `a worker sees it: fetching the next job, completing this one), and ${one.pairedOverheadMsPerJob.toFixed(0)} ms per job end to end (each fleet run's extra seconds ` +
      `over the local run just before it, divided by the jobs, fixed costs at start and end included; median of ${fleet.repeats}` +
      (one.pairedOverheadRange ? `, runs from ${one.pairedOverheadRange[0].toFixed(0)} to ${one.pairedOverheadRange[1].toFixed(0)} ms` : '') +
      "). On a machine shared with other jobs the two runs of a pair see different loads, so the end-to-end figure is noisy (see its spread, and the local runs' " +
      'own spread in the table); the idle time is the steadier measure. ';
  return [
    `\`node bench/fleet.mjs\` (${fleet.date}): the MixInstruct sample repeated to ${fleet.rows} rows (distinct inputs), synth-pairrm fp32, strategy full; ` +
      `jobs of ${fleet.shardSize} rows (${fleet.jobs} jobs); a private redis-server on 127.0.0.1; workers loaded before the clock starts, fresh for each run; ` +
      `local and fleet runs alternate; medians of ${fleet.repeats} runs (min-max in brackets). ` +
      `Machine: ${fleet.machine.cpus} cores (${fleet.machine.cpu}), load average ${fleet.machine.loadBefore.toFixed(1)} before and ${fleet.machine.loadAfter.toFixed(1)} after ` +
      '(other jobs shared it).',
    '',
    table(
      ['workers x 1 thread (= local threads)', 'local eval rows/s', 'fleet rows/s', 'fleet / local', 'rows/s per worker (busy time)', 'workers idle'],
      rows,
    ),
    '',
    overhead +
      `With ${fleet.machine.cpus} cores, 2 and 4 processes only share them, and when the machine is loaded by other jobs a multi-threaded local run suffers most ` +
      "(onnxruntime's intra-op threads wait for each other whenever one is descheduled) while more processes take a larger share of the machine: " +
      'read the 2- and 4-worker ratios as this machine under that load, not as a speed-up a fleet gives on idle machines. Sizing a real fleet: docs/scale-out.md.',
  ].join('\n');
}
