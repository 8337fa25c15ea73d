/**
 * What both entry points export, the page's (`llm-blender-web`) and Node's
 * (`llm-blender-web/node`), under the same names: the engine's types, errors and result
 * helpers, and the model types every host reports. Internals (engine classes, config
 * readers, sessions) are not part of it.
 */
export * from './engine/index';
export type { Backend, Dtype, DtypeOption } from './runtime/common/dtypes';
export type { ModelInfo, ModelRole, ModelTimings } from './runtime/common/model-info';
export type { PairCacheInfo } from './engine/pair-cache';
