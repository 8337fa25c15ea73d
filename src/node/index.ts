/**
 * `llm-blender-web/node`: the blender in Node, in-process, on onnxruntime-node.
 *
 *   import { createBlender } from 'llm-blender-web/node';
 *   const blender = await createBlender({ ranker: 'public/models/tiny-pairrm' });
 */
export * from '../public-surface';
export { createBlender, type NodeBlender, type NodeBlenderInfo, type NodeRankerInfo } from './create-blender';
export type { NodeBlenderOptions, NodeDevice } from './node-blender-options';
