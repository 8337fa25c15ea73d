import { describe, expect, it } from 'vitest';
import { DownloadMeter } from '../../src/demo/download-meter';
import { formatBytes, formatDuration, formatPercent, formatRate, shorten } from '../../src/demo/format';

describe('format', () => {
  it('bytes in decimal units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1234)).toBe('1.2 kB');
    expect(formatBytes(962_677)).toBe('963 kB');
    expect(formatBytes(1_740_000_000)).toBe('1.7 GB');
    expect(formatRate(2_500_000)).toBe('2.5 MB/s');
  });

  it('durations', () => {
    expect(formatDuration(3.25)).toBe('3.3 ms');
    expect(formatDuration(412.4)).toBe('412 ms');
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });

  it('percent and shortened text', () => {
    expect(formatPercent(0.123)).toBe('12%');
    expect(formatPercent(1.2)).toBe('100%');
    expect(shorten('a  b\nc')).toBe('a b c');
    expect(shorten('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('DownloadMeter', () => {
  it('speed over the recent window and time left at that speed', () => {
    const meter = new DownloadMeter(3000);
    expect(meter.update(0, 10_000, 0)).toMatchObject({ fraction: 0, bytesPerSecond: null, etaMs: null });
    const reading = meter.update(2000, 10_000, 1000);
    expect(reading).toMatchObject({ fraction: 0.2, bytesPerSecond: 2000, etaMs: 4000 });
  });

  it('a stall shows: old samples leave the window', () => {
    const meter = new DownloadMeter(1000);
    meter.update(0, 10_000, 0);
    meter.update(5000, 10_000, 1000);
    meter.update(5000, 10_000, 3000);
    const stalled = meter.update(5000, 10_000, 4500);
    expect(stalled.bytesPerSecond).toBe(0);
    expect(stalled.etaMs).toBeNull();
  });

  it('a smaller count starts a new download; a finished one has no time left', () => {
    const meter = new DownloadMeter();
    meter.update(900, 1000, 0);
    expect(meter.update(100, 5000, 10).bytesPerSecond).toBeNull();
    expect(meter.update(5000, 5000, 1010)).toMatchObject({ fraction: 1, etaMs: 0 });
  });
});
