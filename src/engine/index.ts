/** The engine's public part: option and result types, the error type, pure result helpers. */
export * from './types';
export { BlenderError, isBlenderError, type BlenderErrorCode } from './errors';
export { aggregateScores, ranksFromScores, topK, type PairMatrix } from './aggregate';
export { CONVERSATION_INSTRUCTION } from './conversations';
