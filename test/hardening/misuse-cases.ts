/**
 * API misuse: calls a JavaScript caller (or a typo) can make, across every method, and the
 * BlenderError each must give. One table for both hosts: test/hardening/misuse-node.test.ts
 * runs it on the Node entry, e2e/hardening-misuse.spec.ts in Chromium through the worker
 * (its page imports this module). No test-runner imports here: the page loads this file.
 *
 * test/engine/malformed-cases.ts already covers rank/compare/compareConversations/rankWithRef
 * argument shapes on the engine; this table adds the other methods, creation and cache
 * options, values that cannot cross postMessage, and a few shapes again through the worker.
 */
import type { BlenderErrorCode } from '../../src/engine/errors';

export type Host = 'node' | 'page';

/** Untyped on purpose: these calls break the types. */
type LooseMethod = (...args: unknown[]) => unknown;
export type LooseBlender = Record<string, LooseMethod> & { cache?: Record<string, LooseMethod> };

export interface MisuseContext {
  /** A blender with the tiny ranker and the tiny fuser. */
  blender: LooseBlender;
  /** A blender with no models. */
  empty: LooseBlender;
  /** A blender already disposed. */
  disposed: LooseBlender;
  createBlender: LooseMethod;
  topK: LooseMethod;
}

export interface Expected {
  code: BlenderErrorCode;
  argument: string | undefined;
}

export interface MisuseCase extends Expected {
  name: string;
  /** Methods a host lacks (cache in Node, threads in pages) are not tried there. */
  only?: Host;
  /** Where a host answers differently (and rightly so), its own expectation. */
  differs?: Partial<Record<Host, Expected>>;
  call: (context: MisuseContext) => unknown;
}

const conversation = [
  { role: 'USER', content: 'hi' },
  { role: 'ASSISTANT', content: 'hello' },
];
const generate3 = () => ['a', 'b', 'c'];

export const MISUSE_CASES: readonly MisuseCase[] = [
  // rank / compare / compareConversations / rankWithRef: what crossing to the worker adds.
  { name: 'rank: a function as a candidate', call: (c) => c.blender.rank!(['q'], [['a', () => 'b']]), code: 'INVALID_ARGUMENT', argument: 'candidates[0][1]' },
  { name: 'rank: a symbol as an input', call: (c) => c.blender.rank!([Symbol('q')], [['a']]), code: 'INVALID_ARGUMENT', argument: 'inputs[0]' },
  { name: 'rank: an object as a candidate', call: (c) => c.blender.rank!(['q'], [[{ text: 'a' }]]), code: 'INVALID_ARGUMENT', argument: 'candidates[0][0]' },
  { name: 'rank: inputs null', call: (c) => c.blender.rank!(null, [['a']]), code: 'INVALID_ARGUMENT', argument: 'inputs' },
  { name: 'rank: options an array', call: (c) => c.blender.rank!(['q'], [['a']], ['fast']), code: 'INVALID_ARGUMENT', argument: 'options' },
  {
    name: 'rank: tokenBudget NaN',
    call: (c) => c.blender.rank!(['q'], [['a', 'b']], { tokenBudget: Number.NaN }),
    code: 'INVALID_OPTION',
    argument: 'options.tokenBudget',
  },
  {
    name: 'rank: batchSize Infinity',
    call: (c) => c.blender.rank!(['q'], [['a', 'b']], { batchSize: Number.POSITIVE_INFINITY }),
    code: 'INVALID_OPTION',
    argument: 'options.batchSize',
  },
  {
    name: 'compare: returnLogits a string',
    call: (c) => c.blender.compare!(['q'], ['a'], ['b'], { returnLogits: 'yes' }),
    code: 'INVALID_OPTION',
    argument: 'options.returnLogits',
  },
  {
    name: 'compare: instructions a string',
    call: (c) => c.blender.compare!(['q'], ['a'], ['b'], { instructions: 'be brief' }),
    code: 'INVALID_ARGUMENT',
    argument: 'options.instructions',
  },
  {
    name: 'compareConversations: not an array',
    call: (c) => c.blender.compareConversations!('hi', [conversation]),
    code: 'INVALID_ARGUMENT',
    argument: 'conversationsA',
  },
  {
    name: 'compareConversations: a turn without text',
    call: (c) => c.blender.compareConversations!([conversation], [[conversation[0], { role: 'ASSISTANT', content: 7 }]]),
    code: 'INVALID_CONVERSATION',
    argument: 'conversationsB[0][1].content',
  },
  {
    name: 'rankWithRef: refs that are numbers',
    call: (c) => c.blender.rankWithRef!(['q'], [['a', 'b']], { ref: [3] }),
    code: 'INVALID_ARGUMENT',
    argument: 'options.ref[0]',
  },
  {
    name: 'rankWithRef: returnScores 1',
    call: (c) => c.blender.rankWithRef!(['q'], [['a', 'b']], { returnScores: 1 }),
    code: 'INVALID_OPTION',
    argument: 'options.returnScores',
  },

  // fuse
  { name: 'fuse: inputs a string', call: (c) => c.blender.fuse!('q', [['a']]), code: 'INVALID_ARGUMENT', argument: 'inputs' },
  { name: 'fuse: an empty candidate list', call: (c) => c.blender.fuse!(['q'], [[]]), code: 'EMPTY_CANDIDATES', argument: 'candidates[0]' },
  { name: 'fuse: more inputs than candidate lists', call: (c) => c.blender.fuse!(['q', 'r'], [['a']]), code: 'LENGTH_MISMATCH', argument: 'candidates' },
  { name: 'fuse: maxNewTokens 0', call: (c) => c.blender.fuse!(['q'], [['a']], { maxNewTokens: 0 }), code: 'INVALID_OPTION', argument: 'options.maxNewTokens' },
  { name: 'fuse: numBeams 2.5', call: (c) => c.blender.fuse!(['q'], [['a']], { numBeams: 2.5 }), code: 'INVALID_OPTION', argument: 'options.numBeams' },
  {
    name: 'fuse: temperature without doSample',
    call: (c) => c.blender.fuse!(['q'], [['a']], { temperature: 0.7 }),
    code: 'INVALID_OPTION',
    argument: 'options.temperature',
  },
  {
    name: 'fuse: doSample with 4 beams',
    call: (c) => c.blender.fuse!(['q'], [['a']], { doSample: true, numBeams: 4 }),
    code: 'INVALID_OPTION',
    argument: 'options.numBeams',
  },
  {
    name: 'fuse: temperature 0',
    call: (c) => c.blender.fuse!(['q'], [['a']], { doSample: true, temperature: 0 }),
    code: 'INVALID_OPTION',
    argument: 'options.temperature',
  },
  { name: 'fuse: topP 1.5', call: (c) => c.blender.fuse!(['q'], [['a']], { doSample: true, topP: 1.5 }), code: 'INVALID_OPTION', argument: 'options.topP' },
  { name: 'fuse: doSample "yes"', call: (c) => c.blender.fuse!(['q'], [['a']], { doSample: 'yes' }), code: 'INVALID_OPTION', argument: 'options.doSample' },
  {
    name: 'fuse: onToken not a function',
    call: (c) => c.blender.fuse!(['q'], [['a']], { onToken: 'print' }),
    code: 'INVALID_OPTION',
    argument: 'options.onToken',
  },
  { name: 'fuse: a typo (beams)', call: (c) => c.blender.fuse!(['q'], [['a']], { beams: 2 }), code: 'UNKNOWN_OPTION', argument: 'options.beams' },
  {
    name: 'fuse: a rank option (strategy)',
    call: (c) => c.blender.fuse!(['q'], [['a']], { strategy: 'full' }),
    code: 'UNKNOWN_OPTION',
    argument: 'options.strategy',
  },

  // rankAndFuse
  { name: 'rankAndFuse: topK 0', call: (c) => c.blender.rankAndFuse!(['q'], [['a', 'b']], { topK: 0 }), code: 'INVALID_OPTION', argument: 'options.topK' },
  {
    name: 'rankAndFuse: topK "all"',
    call: (c) => c.blender.rankAndFuse!(['q'], [['a', 'b']], { topK: 'all' }),
    code: 'INVALID_OPTION',
    argument: 'options.topK',
  },
  { name: 'rankAndFuse: candidates a string', call: (c) => c.blender.rankAndFuse!(['q'], 'a'), code: 'INVALID_ARGUMENT', argument: 'candidates' },
  {
    name: 'rankAndFuse: returnScores (a rank option)',
    call: (c) => c.blender.rankAndFuse!(['q'], [['a', 'b']], { returnScores: true }),
    code: 'UNKNOWN_OPTION',
    argument: 'options.returnScores',
  },
  {
    name: 'rankAndFuse: a non-string instruction',
    call: (c) => c.blender.rankAndFuse!(['q'], [['a', 'b']], { instructions: [null] }),
    code: 'INVALID_ARGUMENT',
    argument: 'options.instructions[0]',
  },

  // bestOfN (the caller's generator runs where the caller is)
  { name: 'bestOfN: no options', call: (c) => c.blender.bestOfN!(['q']), code: 'INVALID_ARGUMENT', argument: 'options' },
  { name: 'bestOfN: no generate', call: (c) => c.blender.bestOfN!(['q'], { n: 3 }), code: 'INVALID_OPTION', argument: 'options.generate' },
  {
    name: 'bestOfN: generate not a function',
    call: (c) => c.blender.bestOfN!(['q'], { generate: 'gpt' }),
    code: 'INVALID_OPTION',
    argument: 'options.generate',
  },
  {
    name: 'bestOfN: generate returns too few',
    call: (c) => c.blender.bestOfN!(['q'], { generate: generate3, n: 4 }),
    code: 'INVALID_ARGUMENT',
    argument: 'options.generate',
  },
  {
    name: 'bestOfN: generate returns numbers',
    call: (c) => c.blender.bestOfN!(['q'], { generate: () => [1, 2, 3], n: 3 }),
    code: 'INVALID_ARGUMENT',
    argument: 'options.generate',
  },
  { name: 'bestOfN: n 0', call: (c) => c.blender.bestOfN!(['q'], { generate: generate3, n: 0 }), code: 'INVALID_OPTION', argument: 'options.n' },
  {
    name: 'bestOfN: seed with strategy full',
    call: (c) => c.blender.bestOfN!(['q'], { generate: generate3, n: 3, strategy: 'full', seed: 1 }),
    code: 'INVALID_OPTION',
    argument: 'options.seed',
  },
  { name: 'bestOfN: prompts a string', call: (c) => c.blender.bestOfN!('q', { generate: generate3, n: 3 }), code: 'INVALID_ARGUMENT', argument: 'prompts' },

  // createBlender
  { name: 'createBlender: a typo (rankr)', call: (c) => c.createBlender({ rankr: 'x' }), code: 'UNKNOWN_OPTION', argument: 'options.rankr' },
  { name: 'createBlender: options a string', call: (c) => c.createBlender('models/tiny-pairrm'), code: 'INVALID_ARGUMENT', argument: 'options' },
  { name: 'createBlender: ranker 42', call: (c) => c.createBlender({ ranker: 42 }), code: 'INVALID_OPTION', argument: 'options.ranker' },
  { name: 'createBlender: fuser an empty string', call: (c) => c.createBlender({ fuser: '' }), code: 'INVALID_OPTION', argument: 'options.fuser' },
  { name: 'createBlender: dtype int3', call: (c) => c.createBlender({ dtype: 'int3' }), code: 'INVALID_OPTION', argument: 'options.dtype' },
  {
    name: 'createBlender: device tpu',
    call: (c) => c.createBlender({ device: 'tpu' }),
    code: 'INVALID_OPTION',
    argument: 'options.device',
    // Node has one device: asking for another is a backend that cannot run there.
    differs: { node: { code: 'BACKEND_UNAVAILABLE', argument: 'options.device' } },
  },
  { name: 'createBlender: signal a string', call: (c) => c.createBlender({ signal: 'stop' }), code: 'INVALID_OPTION', argument: 'options.signal' },
  { name: 'createBlender: an aborted signal', call: (c) => c.createBlender({ signal: AbortSignal.abort() }), code: 'ABORTED', argument: 'options.signal' },
  { name: 'createBlender: threads 0', only: 'node', call: (c) => c.createBlender({ threads: 0 }), code: 'INVALID_OPTION', argument: 'options.threads' },
  {
    name: 'createBlender: onProgress not a function',
    only: 'page',
    call: (c) => c.createBlender({ onProgress: 'log' }),
    code: 'INVALID_OPTION',
    argument: 'options.onProgress',
  },

  // A blender without the model a method needs, or disposed.
  { name: 'rank without a ranker', call: (c) => c.empty.rank!(['q'], [['a']]), code: 'RANKER_NOT_LOADED', argument: 'options.ranker' },
  { name: 'fuse without a fuser', call: (c) => c.empty.fuse!(['q'], [['a']]), code: 'FUSER_NOT_LOADED', argument: 'options.fuser' },
  { name: 'rankAndFuse without a fuser', call: (c) => c.empty.rankAndFuse!(['q'], [['a']]), code: 'FUSER_NOT_LOADED', argument: 'options.fuser' },
  { name: 'rank after dispose', call: (c) => c.disposed.rank!(['q'], [['a']]), code: 'DISPOSED', argument: undefined },
  { name: 'info after dispose', call: (c) => c.disposed.info!(), code: 'DISPOSED', argument: undefined },

  // cache (pages only: Node reads model folders from disk)
  { name: 'cache.delete(42)', only: 'page', call: (c) => c.blender.cache!.delete!(42), code: 'INVALID_ARGUMENT', argument: 'model' },
  { name: 'cache.delete("")', only: 'page', call: (c) => c.blender.cache!.delete!(''), code: 'INVALID_ARGUMENT', argument: 'model' },
  { name: 'cache.list after dispose', only: 'page', call: (c) => c.disposed.cache!.list!(), code: 'DISPOSED', argument: undefined },

  // topK (a pure helper: throws at once)
  { name: 'topK: k -1', call: (c) => c.topK([[1, 2]], [['a', 'b']], -1), code: 'INVALID_ARGUMENT', argument: 'k' },
  { name: 'topK: ranks not an array', call: (c) => c.topK('1,2', [['a', 'b']], 1), code: 'INVALID_ARGUMENT', argument: 'ranks' },
  { name: 'topK: fewer candidate lists than rank rows', call: (c) => c.topK([[1], [1]], [['a']], 1), code: 'LENGTH_MISMATCH', argument: 'candidates' },
  { name: 'topK: a row of the wrong length', call: (c) => c.topK([[1, 2]], [['a']], 1), code: 'LENGTH_MISMATCH', argument: 'candidates[0]' },
];

export function casesFor(host: Host): MisuseCase[] {
  return MISUSE_CASES.filter((testCase) => testCase.only === undefined || testCase.only === host);
}

export function expectedFor(testCase: MisuseCase, host: Host): Expected {
  return testCase.differs?.[host] ?? { code: testCase.code, argument: testCase.argument };
}

/** What a call did: a BlenderError (code, argument), another error, a value, or nothing in time. */
export interface Outcome {
  name: string;
  kind: 'blender-error' | 'other-error' | 'resolved' | 'hang';
  code?: string;
  argument?: string | undefined;
  message?: string;
  ms: number;
}

/** Runs one case; a call that neither settles nor throws within `timeoutMs` is a hang. */
export async function runCase(testCase: MisuseCase, context: MisuseContext, timeoutMs: number): Promise<Outcome> {
  const started = performance.now();
  const done = (outcome: Omit<Outcome, 'name' | 'ms'>): Outcome => ({ name: testCase.name, ms: performance.now() - started, ...outcome });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const hang = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), timeoutMs)));
    const result = await Promise.race([Promise.resolve().then(() => testCase.call(context)), hang]);
    return done({ kind: result === 'hang' ? 'hang' : 'resolved' });
  } catch (error) {
    const { name, code, argument, message } = (error ?? {}) as { name?: unknown; code?: unknown; argument?: string; message?: unknown };
    return name === 'BlenderError' && typeof code === 'string'
      ? done({ kind: 'blender-error', code, argument, message: String(message) })
      : done({ kind: 'other-error', message: `${String(name)}: ${String(message)}` });
  } finally {
    clearTimeout(timer);
  }
}
