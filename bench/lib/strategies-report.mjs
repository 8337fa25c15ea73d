// bench/strategies.json -> the "Ranking on a budget" section of RESULTS.md: the issue's
// targets for the cheaper rank strategies (PASS / MISS against full) and the tables behind them.

const table = (header, rows) =>
  [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const pct = (share) => (share === null || share === undefined ? 'n/a' : `${(100 * share).toFixed(0)}%`);
const tau = (value) => (value === null || value === undefined || Number.isNaN(value) ? '-' : value.toFixed(3));
const status = (ok) => (ok === null ? 'not measured' : ok ? 'PASS' : 'MISS');

const PARTS = [
  ['simulated', 'simulated matrices, calibrated'],
  ['synth', 'synth-pairrm sets'],
];
/** The variant `key` at size `n` of one part, or undefined where it did not run. */
const find = (part, n, key) => part?.sizes.find((s) => s.n === n)?.variants.find((v) => v.key === key);
const sizeOf = (part, n) => part?.sizes.find((s) => s.n === n);

/** "ceiling 93%": the share of sets where no other candidate beats every one (a knockout can then still pick full's best). */
const ceilingNote = (size) =>
  size?.matrixStats ? `; any knockout: at most ${pct(1 - size.matrixStats.otherIsCondorcet)}, at least ${pct(size.matrixStats.bestIsCondorcet)}` : '';

/** Target rows: [target, measured, status]. */
export function strategyTargetRows(strategies) {
  const rows = [];
  for (const [partKey, partName] of PARTS) {
    const part = strategies[partKey];
    const sizes = part?.sizes.map((s) => s.n) ?? [];
    for (const n of [8, 16]) {
      const v = find(part, n, 'tournament');
      rows.push([
        `tournament k=1 picks full's best in >= 95% of sets, N = ${n} (${partName})`,
        v ? `${pct(v.topOneAgreement)} of ${v.sets} sets${ceilingNote(sizeOf(part, n))}` : 'n/a',
        status(v ? v.topOneAgreement >= 0.95 : null),
      ]);
    }
    for (const [key, goal, name] of [
      ['sort', 0.9, 'sort'],
      ['adaptive', 0.85, 'adaptive (budget 4N)'],
    ]) {
      const found = sizes.map((n) => [n, find(part, n, key)]).filter(([, v]) => v);
      rows.push([
        `${name}: median Kendall τ with full's order >= ${goal}, every N (${partName})`,
        found.length ? found.map(([n, v]) => `N=${n}: ${tau(v.tauMedian)}`).join(', ') : 'n/a',
        status(found.length ? found.every(([, v]) => v.tauMedian >= goal) : null),
      ]);
    }
    const bounded = sizes.flatMap((n) =>
      ['tournament', 'tournament/one', 'sort', 'sort/one', 'adaptive', 'adaptive/one'].map((key) => [n, find(part, n, key)]),
    );
    const ran = bounded.filter(([, v]) => v);
    const over = ran.filter(([, v]) => !v.withinBound);
    rows.push([
      `passes within bounds: tournament <= 2(N-1), sort <= 2N⌈log₂N⌉, adaptive <= budget; orders 'one': half the first two (${partName})`,
      ran.length ? (over.length ? over.map(([n, v]) => `${v.label} N=${n}: ${v.passes.max} > ${v.maxPasses}`).join('; ') : `all ${ran.length} within`) : 'n/a',
      status(ran.length ? over.length === 0 : null),
    ]);
  }
  return rows;
}

const num = (x, digits = 2) => (x === null || x === undefined ? 'n/a' : x.toFixed(digits));

/** synth-pairrm's matrices next to the calibrated simulation's, per N. */
function calibrationTable(synth, simulated) {
  const row = (who, n, st, settings) => [
    who,
    n,
    num(st.strengthSd),
    num(st.noiseSd),
    num(st.positionBias),
    pct(st.orderFlipRate),
    `${(100 * st.cyclicTripleRate).toFixed(2)}%`,
    pct(st.bestIsCondorcet),
    pct(st.otherIsCondorcet),
    settings ? settings.cycles : '',
  ];
  return table(
    [
      'matrices',
      'N',
      'strength sd',
      'noise sd per order',
      'position bias',
      'order flips',
      'cyclic triples',
      "full's best is a Condorcet winner",
      'another is',
      'injected cycles',
    ],
    synth.sizes.flatMap((s) => {
      const sim = sizeOf(simulated, s.n);
      return [row('synth-pairrm', s.n, s.matrixStats), ...(sim ? [row('simulated, calibrated', s.n, sim.matrixStats, sim.settings)] : [])];
    }),
  );
}

/** Every simulated profile: the targets' figures per N. */
function sensitivityTable(profiles) {
  const sizes = profiles[0]?.sizes.map((s) => s.n) ?? [];
  return table(
    ['profile', 'noise sd', ...sizes.map((n) => `N = ${n}: tournament top-1 (knockout max) / sort τ / adaptive τ`)],
    profiles.map((p) => [
      p.profile,
      [...new Set(p.sizes.map((s) => num(s.settings.noise)))].join(', '),
      ...p.sizes.map((s) => {
        const v = (key) => s.variants.find((x) => x.key === key);
        return `${pct(v('tournament')?.topOneAgreement)} (${pct(1 - s.matrixStats.otherIsCondorcet)}) / ${tau(v('sort')?.tauMedian)} / ${tau(v('adaptive')?.tauMedian)}`;
      }),
    ]),
  );
}

/** The cells every per-strategy table starts with: N, strategy, passes, bound. */
const leadCells = (s, v) => [s.n, v.label, `${v.passes.median} / ${v.passes.max}`, `${v.maxPasses}${v.withinBound ? '' : ' **over**'}`];

/** A strategy's wall time as a ratio to full's in the same run. */
const wallRatio = (v, full) => (full?.totalMs ? `${(v.totalMs / full.totalMs).toFixed(2)}x` : 'n/a');

function simulatedTable(simulated) {
  return table(
    ['N', 'strategy', 'passes (median / max)', 'bound', 'rounds (median / max)', "top-1 = full's", 'median τ vs full'],
    simulated.sizes.flatMap((s) =>
      s.variants.map((v) => [...leadCells(s, v), v.rounds ? `${v.rounds.median} / ${v.rounds.max}` : 'n/a', pct(v.topOneAgreement), tau(v.tauMedian)]),
    ),
  );
}

function synthTable(synth) {
  return table(
    ['N', 'strategy', 'passes (median / max)', 'bound', "top-1 = full's", 'median τ vs full', 'top-1 = right answer', 'wall ms (all sets)', 'wall time / full'],
    synth.sizes.flatMap((s) => {
      const full = s.variants.find((v) => v.key === 'full');
      return s.variants.map((v) => [
        ...leadCells(s, v),
        pct(v.topOneAgreement),
        tau(v.tauMedian),
        pct(v.topOneRight),
        v.totalMs === null ? 'n/a' : v.totalMs.toFixed(0),
        wallRatio(v, full),
      ]);
    }),
  );
}

function unavailableLines(strategies) {
  const missing = new Map();
  for (const [partKey] of PARTS) for (const s of strategies[partKey]?.sizes ?? []) for (const u of s.unavailable) missing.set(u.key, `${u.label}: ${u.reason}`);
  return missing.size ? ['', `Not run (rank rejected the options): ${[...missing.values()].join('; ')}.`] : [];
}

function largeLine(large) {
  if (!large) return '**The 24-layer model**: not measured.';
  if (large.absent)
    return `**The 24-layer model** (${large.absent}) was not present in this run, so there are no wall times at PairRM's size here; \`node bench/strategies.mjs --parts large\` times N = 8 and 16 on it (q8) whenever the folder exists (\`bash tools/pairrm/make_large.sh\` builds it).`;
  const tokens = large.sizes.map((s) => `N = ${s.n}: median ${s.rowTokens.median}, ${s.rowTokens.min}-${s.rowTokens.max} tokens per row`).join('; ');
  const file = large.modelFile ? `${large.modelFile.path}, sha256 ${large.modelFile.sha256.slice(0, 12)}…` : 'file not recorded';
  return [
    `**The 24-layer model** (PairRM's size, random weights, so only its wall times are shown; ${large.dtype}, ${file}; onnxruntime-node on the CPU, loaded in ${(large.loadMs / 1000).toFixed(1)} s), ${large.sizes[0]?.sets ?? 0} sets per N from the same file, ${tokens}. "wall time / full" is the ratio to full's time in the same run; each strategy was warmed up once on 3 candidates first:`,
    '',
    table(
      ['N', 'strategy', 'passes (median / max)', 'bound', 'wall ms (all sets)', 'ms per pass', 'wall time / full', 'passes / full'],
      large.sizes.flatMap((s) => {
        const full = s.variants.find((v) => v.key === 'full');
        return s.variants.map((v) => [
          ...leadCells(s, v),
          v.totalMs.toFixed(0),
          (v.totalMs / (v.passes.median * v.sets)).toFixed(0),
          wallRatio(v, full),
          full ? `${(v.passes.median / full.passes.median).toFixed(2)}x` : 'n/a',
        ]);
      }),
    ),
  ].join('\n');
}

function chromiumLine(chromium) {
  if (!chromium) return '**Chromium WASM**: not measured (`node bench/strategies.mjs --parts chromium`).';
  return [
    `**Chromium WASM** (${chromium.model}, ${chromium.dtype}, createBlender with device 'wasm' on the bench page, ${chromium.wasm?.threads ?? '?'} threads, pair cache off; ${chromium.chromium ?? 'Chromium'}): the same sets as (b), ${chromium.sizes[0]?.sets ?? 0} per N, strategies in a rotating order after one warm-up call each; wall time summed over the sets and as a ratio to full's in the same run:`,
    '',
    table(
      ['N', 'strategy', 'passes (median / max)', 'bound', 'wall ms (all sets)', 'wall time / full'],
      chromium.sizes.flatMap((s) => s.variants.map((v) => [...leadCells(s, v), v.totalMs.toFixed(0), `${v.ratioToFull.toFixed(2)}x`])),
    ),
  ].join('\n');
}

const runLine = (name, run) =>
  run
    ? `${name}: ${run.at.slice(0, 16).replace('T', ' ')} UTC, commit ${run.machine.commit}${run.machine.dirty ? ' (uncommitted changes in src/)' : ''}, 15-minute load average ${run.machine.loadAverage15.toFixed(1)}${run.note ? ` (${run.note})` : ''}`
    : null;

export function strategiesSection(strategies) {
  if (!strategies) return 'Not measured: run `node bench/strategies.mjs` (or `--quick`).';
  const m = strategies.machine;
  const { simulated, synth, large } = strategies;
  const families = synth.sizes[0]
    ? Object.entries(synth.sizes[0].families)
        .map(([f, k]) => `${k} ${f}`)
        .join(', ')
    : '';
  const runs = strategies.partRuns ? ['synth', 'simulated', 'large', 'chromium'].map((p) => runLine(p, strategies.partRuns[p])).filter(Boolean) : [];
  const sensitivity = [simulated, ...(strategies.simulatedSensitivity ?? [])].filter((p) => p?.sizes?.every((s) => s.matrixStats));
  return [
    `Generated by \`node bench/strategies.mjs${strategies.quick ? ' --quick' : ''}\` (also part of \`npm run bench\`) on ${m.cpu}, ${m.cores} cores.${runs.length ? ` Parts (\`--parts\` runs one part and keeps the others): ${runs.join('; ')}.` : ` ${m.date}, commit ${m.commit}; ${(strategies.seconds / 60).toFixed(1)} min.`}`,
    "Every figure compares a strategy with `full` (every ordered pair, `max_logits`) on the same set: top-1 = the strategy's best is full's best; τ = Kendall's τ-b between the two rankings (only for strategies that order every candidate; bubble and tournament k=1 find the best only). A pass is one ordered pair through the model; rounds are the strategy's scorer calls, i.e. model runs one after the other. \"Any knockout: at most X\": in the other sets some other candidate beats every candidate in its both-order match (a Condorcet winner), and every knockout crowns it; \"at least Y\": full's best is itself such a winner, and every knockout finds it.",
    '',
    table(['target', 'measured', 'status'], strategyTargetRows(strategies)),
    '',
    `**Calibration.** The simulation copies, per N, what synth-pairrm's full matrices over the synthetic sets look like: the spread of the least-squares strengths (in per-order logit units), the noise per ordered logit around them, the position bias; injected non-transitive triples only as far as noise alone gives fewer cyclic triples than synth-pairrm shows. Order flips = pairs whose winner depends on the order shown; cyclic triples = triples whose both-order matches form a cycle (bench/strategies/matrix-stats.ts):`,
    '',
    ...(simulated && synth?.sizes.every((s) => s.matrixStats) ? [calibrationTable(synth, simulated), ''] : []),
    ...(sensitivity.length > 1
      ? [
          `**Sensitivity**: the same ${simulated.setsPerN} seeds per N under each profile (${sensitivity.map((p) => `${p.profile}: ${p.description}`).join('; ')}):`,
          '',
          sensitivityTable(sensitivity),
          '',
        ]
      : []),
    `**(a) Simulated preference matrices, calibrated profile**, ${simulated.setsPerN} seeded sets per N (bench/strategies/simulate.ts), through the real engine with a model that reads a matrix (bench/strategies/matrix-ranker.ts): ${simulated.description}.`,
    '',
    simulatedTable(simulated),
    '',
    `**(b) synth-pairrm** (${synth.model}, ${synth.dtype}, onnxruntime-node through the Node entry, pair cache ${synth.pairCache === 0 ? 'off' : `capacity ${synth.pairCache}`}), sets from the synthetic ranker's test split (bench/strategies/synth-sets.json, made by bench/strategies/make_synth_sets.py): one right answer to a test question and N - 1 weaker answers to the same question, built as the family builds its wrong answers, about half near misses and half further off, no near-duplicates; ${synth.sizes[0]?.sets ?? 0} sets per N (${families}). Wall time: the strategies of a set run one after another in a rotating order, summed over the sets; "wall time / full" is the ratio to full in the same run.`,
    '',
    synthTable(synth),
    '',
    largeLine(large),
    '',
    chromiumLine(strategies.chromium),
    ...unavailableLines(strategies),
  ].join('\n');
}
