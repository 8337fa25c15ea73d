// Times the single-op graphs of make_op_graphs.py on onnxruntime-node or onnxruntime-web's
// WASM build (in Node: the same V8 and wasm as Chromium's worker), median of 7 runs.
//   /usr/bin/python3 bench/ops/make_op_graphs.py && node bench/ops/time-ops.mjs [node|web] [threads]
import { median } from '../lib/stats.mjs';

const [runtime = 'node', threadArg = '1', dir = '.cache/op-graphs'] = process.argv.slice(2);
const threads = Number(threadArg);
const ort = runtime === 'web' ? await import('onnxruntime-web') : (await import('onnxruntime-node')).default;
if (runtime === 'web') ort.env.wasm.numThreads = threads;
const S = 384,
  W = 512,
  H = 16;
const data = (length) => Float32Array.from({ length }, (_, i) => Math.sin(i));
const feeds = {
  gather: { x: new ort.Tensor('float32', data(H * S * W), [1, H, S * W]) },
  'gather-elements': { x: new ort.Tensor('float32', data(H * S * W), [1, H, S, W]) },
  'relative-shift': { x: new ort.Tensor('float32', data(H * S * (2 * S - 1)), [1, H, S, 2 * S - 1]) },
  'c2p-matmul': { x: new ort.Tensor('float32', data(H * S * 64), [1, H, S, 64]), p: new ort.Tensor('float32', data(H * 64 * W), [1, H, 64, W]) },
  'ffn-matmul': { x: new ort.Tensor('float32', data(S * 1024), [S, 1024]) },
};
for (const [name, input] of Object.entries(feeds)) {
  const session = await ort.InferenceSession.create(`${dir}/${name}.onnx`, runtime === 'web' ? {} : { intraOpNumThreads: threads });
  await session.run(input);
  const times = [];
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    await session.run(input);
    times.push(performance.now() - started);
  }
  console.log(`${runtime} ${threads} thread(s) ${name.padEnd(16)} ${median(times).toFixed(1)} ms`);
  await session.release();
}
