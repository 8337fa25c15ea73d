// bench/strategies.json -> the "Ranking on a budget" section of RESULTS.md: the issue's
// targets for the cheaper rank strategies (PASS / MISS against full) and the tables behind them.

const table = (header, rows) =>
  [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const pct = (share) => (share === null || share === undefined ? 'n/a' : `${(100 * share).toFixed(0)}%`);
const tau = (value) => (value === null || value === undefined || Number.isNaN(value) ? '-' : value.toFixed(3));
const status = (ok) => (ok === null ? 'not measured' : ok ? 'PASS' : 'MISS');

const PARTS = [
  ['simulated', 'simulated matrices'],
  ['synth', 'synth-pairrm sets'],
];
/** The variant `key` at size `n` of one part, or undefined where it did not run. */
const find = (part, n, key) => part?.sizes.find((s) => s.n === n)?.variants.find((v) => v.key === key);

/** Target rows: [target, measured, status, note]. */
export function strategyTargetRows(strategies) {
  const rows = [];
  for (const [partKey, partName] of PARTS) {
    const part = strategies[partKey];
    const sizes = part?.sizes.map((s) => s.n) ?? [];
    for (const n of [8, 16]) {
      const v = find(part, n, 'tournament');
      rows.push([
        `tournament k=1 picks full's best in >= 95% of sets, N = ${n} (${partName})`,
        v ? `${pct(v.topOneAgreement)} of ${v.sets} sets` : 'n/a',
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

function simulatedTable(simulated) {
  return table(
    ['N', 'strategy', 'passes (median / max)', 'bound', 'rounds (median / max)', "top-1 = full's", 'median τ vs full'],
    simulated.sizes.flatMap((s) =>
      s.variants.map((v) => [
        s.n,
        v.label,
        `${v.passes.median} / ${v.passes.max}`,
        `${v.maxPasses}${v.withinBound ? '' : ' **over**'}`,
        v.rounds ? `${v.rounds.median} / ${v.rounds.max}` : 'n/a',
        pct(v.topOneAgreement),
        tau(v.tauMedian),
      ]),
    ),
  );
}

/** The control without cycles, compactly: top-1 and τ per strategy and N. */
function controlTable(control) {
  const sizes = control.sizes.map((s) => s.n);
  const keys = control.sizes[0]?.variants.map((v) => [v.key, v.label]) ?? [];
  return table(
    ['strategy', ...sizes.map((n) => `N = ${n}: top-1 / τ`)],
    keys.map(([key, label]) => [
      label.replace(/ = \d+/, ''),
      ...sizes.map((n) => {
        const v = find(control, n, key);
        return v ? `${pct(v.topOneAgreement)} / ${tau(v.tauMedian)}` : 'n/a';
      }),
    ]),
  );
}

function synthTable(synth) {
  return table(
    ['N', 'strategy', 'passes (median / max)', 'bound', "top-1 = full's", 'median τ vs full', 'top-1 = right answer', 'wall ms (all sets)', 'wall time / full'],
    synth.sizes.flatMap((s) => {
      const full = s.variants.find((v) => v.key === 'full');
      return s.variants.map((v) => [
        s.n,
        v.label,
        `${v.passes.median} / ${v.passes.max}`,
        `${v.maxPasses}${v.withinBound ? '' : ' **over**'}`,
        pct(v.topOneAgreement),
        tau(v.tauMedian),
        pct(v.topOneRight),
        v.totalMs === null ? 'n/a' : v.totalMs.toFixed(0),
        full?.totalMs ? `${(v.totalMs / full.totalMs).toFixed(2)}x` : 'n/a',
      ]);
    }),
  );
}

function unavailableLines(strategies) {
  const missing = new Map();
  for (const [partKey] of PARTS) for (const s of strategies[partKey]?.sizes ?? []) for (const u of s.unavailable) missing.set(u.key, `${u.label}: ${u.reason}`);
  return missing.size ? ['', `Not run (rank rejected the options): ${[...missing.values()].join('; ')}.`] : [];
}

export function strategiesSection(strategies) {
  if (!strategies) return 'Not measured: run `node bench/strategies.mjs` (or `--quick`).';
  const m = strategies.machine;
  const { simulated, synth, large } = strategies;
  const families = synth.sizes[0]
    ? Object.entries(synth.sizes[0].families)
        .map(([f, k]) => `${k} ${f}`)
        .join(', ')
    : '';
  return [
    `Generated by \`node bench/strategies.mjs${strategies.quick ? ' --quick' : ''}\` (also part of \`npm run bench\`): ${m.date}, commit ${m.commit}${m.dirty ? ' with uncommitted changes in src/' : ''}, ${m.cpu}, ${m.cores} cores, 15-minute load average ${m.loadAverage15.toFixed(1)}; ${(strategies.seconds / 60).toFixed(1)} min.`,
    "Every figure compares a strategy with `full` (every ordered pair, `max_logits`) on the same set: top-1 = the strategy's best is full's best; τ = Kendall's τ-b between the two rankings (only for strategies that order every candidate; bubble and tournament k=1 find the best only). A pass is one ordered pair through the model; rounds are the strategy's scorer calls, i.e. model runs one after the other.",
    '',
    table(['target', 'measured', 'status'], strategyTargetRows(strategies)),
    '',
    `**(a) Simulated preference matrices**, ${simulated.setsPerN} seeded sets per N (bench/strategies/simulate.ts), through the real engine with a model that reads a matrix (bench/strategies/matrix-ranker.ts): Bradley–Terry strengths (sd 1.5) with Gaussian noise (sd 0.5) on every ordered logit, a position bias of +0.3, and max(1, round(N/8)) injected non-transitive triples (a > b > c > a by margins of about the noise) per set.`,
    '',
    simulatedTable(simulated),
    '',
    ...(strategies.simulatedNoCycles
      ? [
          `Control: the same ${strategies.simulatedNoCycles.setsPerN} seeds per N without the injected triples (noise and position bias only), top-1 = full's / median τ:`,
          '',
          controlTable(strategies.simulatedNoCycles),
          '',
        ]
      : []),
    `**(b) synth-pairrm** (${synth.model}, ${synth.dtype}, onnxruntime-node through the Node entry, pair cache ${synth.pairCache === 0 ? 'off' : `capacity ${synth.pairCache}`}), sets from the synthetic ranker's test split (bench/strategies/synth-sets.json, made by bench/strategies/make_synth_sets.py): one right answer and N - 1 weaker ones (the question's own wrong answers, then right answers to other questions of the family), ${synth.sizes[0]?.sets ?? 0} sets per N (${families}). Wall time: the strategies of a set run one after another in a rotating order, summed over the sets; "wall time / full" is the ratio to full in the same run.`,
    '',
    synthTable(synth),
    '',
    large.absent
      ? `**The 24-layer model** (${large.absent}) was not present in this run, so there are no wall times at PairRM's size here; \`node bench/strategies.mjs\` times N = 8 and 16 on it (q8) whenever the folder exists (\`bash tools/pairrm/make_large.sh\` builds it).`
      : `**The 24-layer model** (${large.model}, ${large.dtype}), wall time at PairRM's size:\n\n${synthTable(large)}`,
    ...unavailableLines(strategies),
  ].join('\n');
}
