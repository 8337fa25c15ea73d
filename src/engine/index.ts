/** The engine's public surface: types, errors and pure helpers shared by every host. */
export * from './types';
export { BlenderError, isBlenderError, type BlenderErrorCode } from './errors';
export { topK } from './aggregate';
export { RankingEngine } from './engine';
export type { PairModel } from './pair-scorer';
export type { ContentTokenizer } from './encode';
export { readPairRankerConfig } from './pair-config';
export { CONVERSATION_INSTRUCTION } from './conversations';
