import { describe, expect, it } from 'vitest';
import { aggregateScores, ranksFromScores, topK } from '../../src/engine/aggregate';

describe('aggregateScores', () => {
  // m[i][j] = logit(c_i, c_j); not antisymmetric (position bias).
  const m = [
    [0, 2, -1],
    [1, 0, 0.5],
    [3, -2, 0],
  ];

  it('max_logits: (1/N) * sum_j (m[i][j] - m[j][i]), N includes the diagonal', () => {
    // c0: (2-1) + (-1-3) = -3; c1: (1-2) + (0.5+2) = 1.5; c2: (3+1) + (-2-0.5) = 1.5
    expect(aggregateScores(m, 'max_logits')).toEqual([-1, 0.5, 0.5]);
  });

  it('max_wins: wins counted in both orders of every pair', () => {
    // c0: m01>0, m02<=0 | m10<0? no, m20<0? no -> 1
    // c1: m10>0, m12>0 | m01<0? no, m21<0 yes -> 3
    // c2: m20>0, m21<=0 | m02<0 yes, m12<0? no -> 2
    expect(aggregateScores(m, 'max_wins')).toEqual([1, 3, 2]);
  });

  it('one candidate scores 0', () => {
    expect(aggregateScores([[0]], 'max_logits')).toEqual([0]);
    expect(aggregateScores([[0]], 'max_wins')).toEqual([0]);
  });

  it('a symmetric matrix with equal rows gives exact ties', () => {
    const tie = [
      [0, 1, 1],
      [1, 0, 1],
      [1, 1, 0],
    ];
    expect(ranksFromScores(aggregateScores(tie, 'max_logits'))).toEqual([1, 1, 1]);
  });
});

describe('ranksFromScores', () => {
  it('1 = best', () => {
    expect(ranksFromScores([0.1, 3, -2])).toEqual([2, 1, 3]);
  });
  it('exact ties share the best rank and skip the next ones (1, 1, 3)', () => {
    expect(ranksFromScores([5, 5, 1])).toEqual([1, 1, 3]);
    expect(ranksFromScores([1, 5, 1, 5])).toEqual([3, 1, 3, 1]);
    expect(ranksFromScores([2, 2, 2])).toEqual([1, 1, 1]);
  });
  it('a difference of one ulp is not a tie', () => {
    expect(ranksFromScores([1, 1 + Number.EPSILON])).toEqual([2, 1]);
  });
});

describe('topK', () => {
  it('orders candidates by rank, best first, and keeps k', () => {
    expect(
      topK(
        [
          [3, 1, 2],
          [1, 3, 2],
        ],
        [
          ['a', 'b', 'c'],
          ['d', 'e', 'f'],
        ],
        2,
      ),
    ).toEqual([
      ['b', 'c'],
      ['d', 'f'],
    ]);
  });
  it('equal ranks keep their original order; k beyond N keeps all', () => {
    expect(topK([[2, 1, 2, 1]], [['a', 'b', 'c', 'd']], 10)).toEqual([['b', 'd', 'a', 'c']]);
  });
});
