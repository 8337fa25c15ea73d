/**
 * `llm-blender-web/node`: the blender in Node, in-process, on onnxruntime-node.
 *
 *   import { createBlender } from 'llm-blender-web/node';
 *   const blender = await createBlender({ ranker: 'public/models/tiny-pairrm' });
 */
export { createBlender, type NodeBlender, type NodeBlenderInfo } from './create-blender';
export type { NodeBlenderOptions, NodeDevice, NodeDtype } from './node-blender-options';
export * from '../engine/types';
export { BlenderError, isBlenderError, type BlenderErrorCode } from '../engine/errors';
export { topK } from '../engine/aggregate';
export { CONVERSATION_INSTRUCTION } from '../engine/conversations';
