// The ranker's graphs as shipped: every value's dims named (tools/common/symbolic_dims.py),
// the names true at run time, and q8 in the per-row form on N-D activations, whose outputs
// equal the earlier 2-D rows form's bit for bit. Needs /usr/bin/python3 with onnx and
// sympy (bash tools/common/ensure-python.sh); ~45 s here.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runModel, type Backend, type JsonTensor } from './ort-run';

const work = mkdtempSync(join(tmpdir(), 'symbolic-dims-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const python = (args: string[]) => spawnSync('/usr/bin/python3', args, { encoding: 'utf8' });
const RANKERS = ['tiny-pairrm', 'synth-pairrm'];
const GRAPHS = ['model.onnx', 'model_fp16.onnx', 'model_quantized.onnx', 'model_q4.onnx'];
const shipped = RANKERS.flatMap((folder) => GRAPHS.map((file) => `public/models/${folder}/onnx/${file}`));

describe('named dims', () => {
  test('every value of every shipped ranker graph has its shape written', () => {
    const script = `
import sys, onnx
for path in sys.argv[1:]:
    g = onnx.load(path).graph
    named = {vi.name for vi in g.value_info}
    outputs = {o.name for o in g.output}
    missing = [o for n in g.node for o in n.output if o and o not in named and o not in outputs]
    print(path, len(named), len(missing))`;
    const report = python(['-c', script, ...shipped]);
    expect(report.status, report.stderr).toBe(0);
    const rows = report.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(' '));
    expect(rows.map(([path]) => path)).toEqual(shipped);
    for (const [path, named, missing] of rows) {
      expect(Number(named), path).toBeGreaterThan(100);
      expect(Number(missing), path).toBe(0);
    }
  });

  test('the names hold at run time: each dim is what its expression gives at three input sizes', () => {
    const result = python(['tools/common/symbolic_dims.py', '--verify', ...shipped]);
    expect(result.stderr).toBe('');
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(shipped.length);
  }, 120_000);

  test('each shape rule gives exact names on a graph made to exercise them, and they hold at run time', () => {
    const graph = join(work, 'rules.onnx');
    expect(python(['test/fixtures/tooling/symbolic_rules.py', graph]).status).toBe(0);
    expect(python(['tools/common/symbolic_dims.py', graph]).status).toBe(0);
    const dims = python([
      '-c',
      'import sys, onnx; print("\\n".join(d.dim_param for v in onnx.load(sys.argv[1]).graph.value_info for d in v.type.tensor_type.shape.dim if d.dim_param))',
      graph,
    ]).stdout;
    expect(dims).toContain('2*sequence_length'); // Tile
    expect(dims).toContain('8*sequence_length'); // Reshape with 0 and -1
    expect(dims).not.toContain('unk__'); // nothing here is beyond the rules
    const result = python(['tools/common/symbolic_dims.py', '--verify', graph]);
    expect(result.status, result.stdout + result.stderr).toBe(0);
  }, 60_000);

  test('the check catches a wrong name', () => {
    const broken = join(work, 'broken.onnx');
    const script = `
import sys, onnx
m = onnx.load(sys.argv[1])
vi = next(v for v in m.graph.value_info if any(d.dim_param == "batch_size*sequence_length" for d in v.type.tensor_type.shape.dim))
next(d for d in vi.type.tensor_type.shape.dim if d.dim_param == "batch_size*sequence_length").dim_param = "sequence_length"
onnx.save(m, sys.argv[2])
print(vi.name)`;
    const edited = python(['-c', script, 'public/models/tiny-pairrm/onnx/model_quantized.onnx', broken]);
    expect(edited.status, edited.stderr).toBe(0);
    const result = python(['tools/common/symbolic_dims.py', '--verify', broken]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`${edited.stdout.trim()} is [`);
  }, 60_000);
});

describe('q8 per row on N-D activations', () => {
  interface GoldenPair {
    input_ids: number[];
  }
  /** A ranker's golden pairs as one padded batch. */
  function batch(golden: string): { input_ids: JsonTensor; attention_mask: JsonTensor } {
    const pairs = (JSON.parse(readFileSync(`test/golden/${golden}`, 'utf8')) as { pairs: GoldenPair[] }).pairs;
    const width = Math.max(...pairs.map((p) => p.input_ids.length));
    const ids = pairs.flatMap((p) => [...p.input_ids, ...Array<number>(width - p.input_ids.length).fill(0)]);
    const mask = pairs.flatMap((p) => Array.from({ length: width }, (_, i) => (i < p.input_ids.length ? 1 : 0)));
    return {
      input_ids: { type: 'int64', dims: [pairs.length, width], data: ids },
      attention_mask: { type: 'int64', dims: [pairs.length, width], data: mask },
    };
  }

  test.each([
    ['tiny-pairrm', 'pairrm.json'],
    ['synth-pairrm', 'synth-pairrm.json'],
  ])(
    "%s: the shipped q8 gives the 2-D rows form's outputs bit for bit, on node and WASM",
    async (folder, golden) => {
      const rows = join(work, `${folder}-rows.onnx`);
      execFileSync('/usr/bin/python3', [
        '-c',
        `import sys; sys.path.insert(0, "tools")
from common.onnx_graph import load_model, save_model
from common.quantize_q8 import quantize_q8
save_model(quantize_q8(load_model(sys.argv[1]), embedding_min_bytes=65536, form="rows"), sys.argv[2])`,
        `public/models/${folder}/onnx/model.onnx`,
        rows,
      ]);
      const feeds = batch(golden);
      for (const backend of ['node', 'wasm'] as Backend[]) {
        const [nd, earlier] = await Promise.all([
          runModel(`public/models/${folder}/onnx/model_quantized.onnx`, feeds, backend),
          runModel(rows, feeds, backend),
        ]);
        for (const name of ['logits', 'marker_hidden_states']) {
          expect(nd[name]!.dims).toEqual(earlier[name]!.dims);
          expect(Buffer.from(nd[name]!.data.buffer).equals(Buffer.from(earlier[name]!.data.buffer)), `${backend} ${name}`).toBe(true);
        }
      }
    },
    60_000,
  );
  test.each([
    ['tiny-pairrm', 'pairrm.json'],
    ['synth-pairrm', 'synth-pairrm.json'],
  ])(
    '%s: the shipped q8 scores each pair alone exactly as inside the padded batch, on node',
    async (folder, golden) => {
      const model = `public/models/${folder}/onnx/model_quantized.onnx`;
      const feeds = batch(golden);
      const [rows, width] = feeds.input_ids.dims as [number, number];
      const together = (await runModel(model, feeds, 'node')).logits!.data;
      for (let r = 0; r < rows; r++) {
        const length = feeds.attention_mask.data.slice(r * width, (r + 1) * width).reduce((a, b) => a + b, 0);
        const ids = feeds.input_ids.data.slice(r * width, r * width + length);
        const alone = await runModel(
          model,
          {
            input_ids: { type: 'int64', dims: [1, length], data: ids },
            attention_mask: { type: 'int64', dims: [1, length], data: Array<number>(length).fill(1) },
          },
          'node',
        );
        expect(alone.logits!.data[0], `pair ${r}`).toBe(together[r]);
      }
    },
    60_000,
  );
});
