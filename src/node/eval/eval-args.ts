// `llm-blender-web eval`'s command line, checked into EvalArgs. A bad flag throws a UsageError
// (exit code 2 with the usage text); nothing is opened or loaded before the line is valid.
import type { RankOrders, RankStrategy } from '../../engine/types';
import type { DtypeOption } from '../../runtime/common/dtypes';
import { UsageError, dtypeOf, flagValue, oneOf, positiveInteger } from '../command-line';
import type { NodeDevice } from '../node-blender-options';

export type PairsMode = 'best-worst' | 'all' | 'adjacent';

export interface EvalArgs {
  file: string;
  ranker: string;
  dtype: DtypeOption | undefined;
  device: NodeDevice | undefined;
  strategy: RankStrategy;
  /** adaptive: passes per input; tournament: topK; tournament, sort, adaptive: orders. */
  budget: number | undefined;
  topK: number | undefined;
  orders: RankOrders | undefined;
  batchSize: number | undefined;
  threads: number | undefined;
  /** Rows per ranker call (and per write). */
  chunk: number;
  /** Stop after this many data rows of the file. */
  limit: number | undefined;
  /** Keep only these models' candidates. */
  models: string[] | undefined;
  out: string | undefined;
  resume: boolean;
  matrix: boolean;
  rejects: string | undefined;
  summary: string | undefined;
  pairsOut: string | undefined;
  pairs: PairsMode;
  minMargin: number | undefined;
  /** Appends {"row": n} for every row the ranker computed (tests count work with it). */
  trace: string | undefined;
  /** Seconds between progress lines when stderr is not a terminal. */
  progressEvery: number;
}

export const EVAL_USAGE = `usage: llm-blender-web eval FILE --ranker <folder> [options]
  FILE                 MixInstruct JSON Lines or JSON array, or the demo's JSONL / CSV batch formats
  --dtype D            fp32 | fp16 | q8 | q4 | auto    --device cpu|cuda|auto
  --strategy S         full (default) | bubble | tournament | sort | adaptive
  --budget N           adaptive: passes per row      --top-k K   tournament: places decided
  --orders both|one    tournament, sort, adaptive
  --batch-size N       pairs per model run           --threads N  onnxruntime-node threads
  --chunk N            rows per ranker call and per write (default 16)
  --limit N            only the first N rows of FILE --models a,b,c  keep only these models' candidates
  --out F              results, one JSON line per row (default: stdout)
  --resume             continue F from its last complete row (needs --out)
  --matrix             add each row's matrix of pairwise logits (full, adaptive)
  --rejects F          bad rows as JSON lines (default: F.rejects.jsonl with --out)
  --summary F          summary as JSON (a table is always printed on stderr)
  --pairs-out F        preference pairs for DPO: prompt, chosen, rejected, margin, models
  --pairs best-worst|all|adjacent (default best-worst)    --min-margin X  (needs scores: full, adaptive)
  --trace F            append {"row": n} per row ranked   --progress-every S  (default 10)
  --queue URL          rank on a fleet of workers on Redis instead (llm-blender-web worker --help;
                       with --shard-size N, --window N, --attempts N; docs/scale-out.md)`;

const STRATEGIES: readonly RankStrategy[] = ['full', 'bubble', 'tournament', 'sort', 'adaptive'];
const PAIRS_MODES: readonly PairsMode[] = ['best-worst', 'all', 'adjacent'];

/** Whether a strategy's result has scores (so pairs have a margin). */
export function strategyHasScores(strategy: RankStrategy): boolean {
  return strategy === 'full' || strategy === 'adaptive';
}

/** Whether a strategy orders every candidate (so mean ranks and rank correlations mean something). */
export function strategyOrdersAll(strategy: RankStrategy): boolean {
  return strategy === 'full' || strategy === 'sort' || strategy === 'adaptive';
}

/** `needsRanker: false`: the fleet's producer, whose workers bring the model. */
export function parseEvalArgs(argv: readonly string[], { needsRanker = true } = {}): EvalArgs {
  const args: EvalArgs = {
    file: '',
    ranker: '',
    dtype: undefined,
    device: undefined,
    strategy: 'full',
    budget: undefined,
    topK: undefined,
    orders: undefined,
    batchSize: undefined,
    threads: undefined,
    chunk: 16,
    limit: undefined,
    models: undefined,
    out: undefined,
    resume: false,
    matrix: false,
    rejects: undefined,
    summary: undefined,
    pairsOut: undefined,
    pairs: 'best-worst',
    minMargin: undefined,
    trace: undefined,
    progressEvery: 10,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => flagValue(flag, argv[++i]);
    const positive = () => positiveInteger(flag, value());
    switch (flag) {
      case '--ranker':
        args.ranker = value();
        break;
      case '--dtype':
        args.dtype = dtypeOf(value());
        break;
      case '--device':
        args.device = oneOf(flag, value(), ['cpu', 'cuda', 'auto'] as const);
        break;
      case '--strategy':
        args.strategy = oneOf(flag, value(), STRATEGIES);
        break;
      case '--budget':
        args.budget = positive();
        break;
      case '--top-k':
        args.topK = positive();
        break;
      case '--orders':
        args.orders = oneOf(flag, value(), ['both', 'one'] as const);
        break;
      case '--batch-size':
        args.batchSize = positive();
        break;
      case '--threads':
        args.threads = positive();
        break;
      case '--chunk':
        args.chunk = positive();
        break;
      case '--limit':
        args.limit = positive();
        break;
      case '--models': {
        const models = value()
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name !== '');
        if (models.length < 2) throw new UsageError('--models needs at least two model names, comma-separated');
        args.models = models;
        break;
      }
      case '--out':
        args.out = value();
        break;
      case '--resume':
        args.resume = true;
        break;
      case '--matrix':
        args.matrix = true;
        break;
      case '--rejects':
        args.rejects = value();
        break;
      case '--summary':
        args.summary = value();
        break;
      case '--pairs-out':
        args.pairsOut = value();
        break;
      case '--pairs':
        args.pairs = oneOf(flag, value(), PAIRS_MODES);
        break;
      case '--min-margin': {
        const margin = Number(value());
        if (!Number.isFinite(margin) || margin < 0) throw new UsageError('--min-margin needs a number >= 0');
        args.minMargin = margin;
        break;
      }
      case '--trace':
        args.trace = value();
        break;
      case '--progress-every': {
        const seconds = Number(value());
        if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError('--progress-every needs a number of seconds > 0');
        args.progressEvery = seconds;
        break;
      }
      default:
        if (flag.startsWith('--')) throw new UsageError(`unknown flag ${flag}`);
        if (args.file !== '') throw new UsageError(`one input file only (got ${JSON.stringify(args.file)} and ${JSON.stringify(flag)})`);
        args.file = flag;
    }
  }
  if (args.file === '') throw new UsageError('eval needs an input FILE');
  if (needsRanker && args.ranker === '') throw new UsageError('--ranker is required');
  if (args.resume && args.out === undefined) throw new UsageError('--resume needs --out (the file to continue)');
  if (args.matrix && !strategyHasScores(args.strategy)) throw new UsageError(`--matrix needs --strategy full or adaptive (${args.strategy} fills no matrix)`);
  if (args.minMargin !== undefined && !strategyHasScores(args.strategy)) {
    throw new UsageError(`--min-margin needs scores: --strategy full or adaptive (${args.strategy} gives ranks only)`);
  }
  if (args.budget !== undefined && args.strategy !== 'adaptive') throw new UsageError('--budget is for --strategy adaptive');
  if (args.topK !== undefined && args.strategy !== 'tournament') throw new UsageError('--top-k is for --strategy tournament');
  if (args.orders !== undefined && (args.strategy === 'full' || args.strategy === 'bubble'))
    throw new UsageError('--orders is for tournament, sort and adaptive');
  args.rejects ??= args.out === undefined ? undefined : `${args.out.replace(/\.jsonl$/i, '')}.rejects.jsonl`;
  return args;
}
