import { BlenderError } from '../errors';
import { checkEnumOption, checkIntegerOption } from '../validate';
import { ORDERS, type Orders } from './match';

/** Strategies that play matches and so accept `orders` (adaptive is implemented in adaptive.ts). */
const ORDER_STRATEGIES: readonly string[] = ['tournament', 'sort', 'adaptive'];

export interface MatchOptions {
  orders: Orders;
  /** Places the tournament decides (1 when not a tournament). */
  topK: number;
}

/**
 * Reads `orders` (default 'both') and `topK` (tournament only, default 1, at most the
 * candidate count of every input); either given to a strategy that cannot use it is an
 * INVALID_OPTION rather than silently ignored.
 */
export function readMatchOptions(strategy: string, options: { orders?: unknown; topK?: unknown }, counts: readonly number[]): MatchOptions {
  const orders = checkEnumOption(options.orders, 'orders', ORDERS);
  if (orders !== undefined && !ORDER_STRATEGIES.includes(strategy)) {
    throw new BlenderError('INVALID_OPTION', `options.orders applies to strategies "tournament", "sort" and "adaptive", not "${strategy}"`, 'options.orders');
  }
  const topK = checkIntegerOption(options.topK, 'topK', 1);
  if (topK !== undefined && strategy !== 'tournament') {
    throw new BlenderError('INVALID_OPTION', `options.topK applies to strategy "tournament" only, not "${strategy}"`, 'options.topK');
  }
  const short = counts.findIndex((n) => n < (topK ?? 1));
  if (short !== -1) {
    throw new BlenderError('INVALID_OPTION', `options.topK is ${topK} but candidates[${short}] has only ${counts[short]} candidates`, 'options.topK');
  }
  return { orders: orders ?? 'both', topK: topK ?? 1 };
}

/** Tournament and sort give ranks only: no scores, no matrix, no aggregation, no seed. */
export function checkRanksOnly(strategy: string, options: { returnScores: boolean; returnMatrix: boolean; aggregate: unknown; seed: unknown }): void {
  if (options.returnScores) {
    throw new BlenderError('INVALID_OPTION', `strategy "${strategy}" gives ranks only: it has no scores`, 'options.returnScores');
  }
  if (options.returnMatrix) {
    throw new BlenderError('INVALID_OPTION', `strategy "${strategy}" plays only some pairs: it has no matrix`, 'options.returnMatrix');
  }
  if (options.aggregate !== undefined) {
    throw new BlenderError('INVALID_OPTION', 'options.aggregate applies to strategy "full" only', 'options.aggregate');
  }
  if (options.seed !== undefined) {
    throw new BlenderError('INVALID_OPTION', 'options.seed applies to strategy "bubble" only', 'options.seed');
  }
}
