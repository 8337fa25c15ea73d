import { describe, expect, it } from 'vitest';
import { condorcetWinner, fullBest, matrixStats, summarizeStats } from '../../bench/strategies/matrix-stats';
import { calibratedSettings } from '../../bench/strategies/simulated-run';
import { simulateSet } from '../../bench/strategies/simulate';

const linear = (strengths: readonly number[], bias: number) => strengths.map((si, i) => strengths.map((sj, j) => (i === j ? 0 : si - sj + bias)));
const sdOf = (xs: readonly number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
};

describe('matrix statistics (calibration and the knockout ceiling)', () => {
  it('a noiseless Bradley–Terry matrix: no flips, no cycles, no noise; its bias and spread; the best is a Condorcet winner', () => {
    const strengths = [0.3, -1.2, 2.0, 0.9, -0.4];
    const stats = matrixStats(linear(strengths, 0.25));
    expect(stats.orderFlipRate).toBe(0);
    expect(stats.cyclicTripleRate).toBe(0);
    expect(stats.noiseSd).toBeCloseTo(0, 9);
    expect(stats.positionBias).toBeCloseTo(0.25, 12);
    expect(stats.strengthSd).toBeCloseTo(sdOf(strengths), 9);
    expect(stats).toMatchObject({ bestIsCondorcet: true, otherIsCondorcet: false });
  });

  it('a position bias larger than a gap flips that pair: both orders say "first wins"', () => {
    // s = [0, 0.1]: v(0,1) = -0.2, yet M[0][1] = -0.1 + 1 > 0 and M[1][0] = 0.1 + 1 > 0.
    const stats = matrixStats(linear([0, 0.1], 1));
    expect(stats.orderFlipRate).toBe(1);
  });

  it('a 3-cycle: every triple cyclic, no Condorcet winner', () => {
    const m = [
      [0, 1, -1],
      [-1, 0, 1],
      [1, -1, 0],
    ];
    expect(condorcetWinner(m)).toBe(-1);
    expect(matrixStats(m)).toMatchObject({ cyclicTripleRate: 1, bestIsCondorcet: false, otherIsCondorcet: false });
  });

  it("a Condorcet winner that is not full's best: it wins every match narrowly, another wins big elsewhere", () => {
    // 0 beats 1 and 2 by 0.1 each; 1 beats 2 by 10. full: 0 → 0.2, 1 → -0.1 + 10, 2 → -10.1.
    const v = [
      [0, 0.1, 0.1],
      [-0.1, 0, 10],
      [-0.1, -10, 0],
    ];
    const m = v.map((row) => row.map((x) => x / 2));
    expect(condorcetWinner(m)).toBe(0);
    expect(fullBest(m)).toBe(1);
    expect(matrixStats(m)).toMatchObject({ bestIsCondorcet: false, otherIsCondorcet: true });
  });

  it('recovers the simulation settings it is calibrated with (noise, spread, bias) within sampling error', () => {
    const settings = { strengthSpread: 1.2, noise: 0.7, positionBias: -0.4, cycleMargin: 0.5, cycles: 0 };
    const summary = summarizeStats(Array.from({ length: 40 }, (_, k) => matrixStats(simulateSet(24, 500 + k, settings).matrix)));
    expect(summary.noiseSd).toBeGreaterThan(0.63);
    expect(summary.noiseSd).toBeLessThan(0.77);
    expect(summary.strengthSd).toBeGreaterThan(1.0);
    expect(summary.strengthSd).toBeLessThan(1.4);
    expect(summary.positionBias).toBeCloseTo(-0.4, 1);
  });

  it('calibratedSettings copies spread, noise and bias and injects cycles only up to the real cyclic-triple rate', () => {
    const real = { sets: 1, orderFlipRate: 0, cyclicTripleRate: 0, positionBias: 0.2, strengthSd: 1.5, noiseSd: 0.3, bestIsCondorcet: 1, otherIsCondorcet: 0 };
    expect(calibratedSettings(16, real)).toMatchObject({ strengthSpread: 1.5, noise: 0.3, positionBias: 0.2, cycles: 0 });
    expect(calibratedSettings(16, real, 2).noise).toBeCloseTo(0.6, 12);
    const cyclic = calibratedSettings(16, { ...real, cyclicTripleRate: 0.05 });
    expect(cyclic.cycles).toBeGreaterThan(0);
    expect(cyclic.cycles).toBeLessThanOrEqual(5);
  });
});
