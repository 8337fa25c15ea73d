// The matrix cells' text keeps WCAG AA contrast (4.5:1) with its background at every value,
// measured here with an HSL conversion and contrast formula of the test's own.
import { describe, expect, it } from 'vitest';
import { heatColour } from '../../src/demo/heatmap';

/** sRGB channels of `hsl(h s% l%)` by the textbook chroma/hue-sector conversion. */
function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const chroma = (1 - Math.abs(2 * l - 1)) * s;
  const x = chroma * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l - chroma / 2;
  const sector = Math.floor(h / 60) % 6;
  const [r, g, b] = [
    [chroma, x, 0],
    [x, chroma, 0],
    [0, chroma, x],
    [0, x, chroma],
    [x, 0, chroma],
    [chroma, 0, x],
  ][sector]!;
  return [r! + m, g! + m, b! + m].map((c) => Math.round(c * 255)) as [number, number, number];
}

function relativeLuminance([r, g, b]: [number, number, number]): number {
  const [lr, lg, lb] = [r, g, b].map((c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * lr! + 0.7152 * lg! + 0.0722 * lb!;
}

function contrast(a: number, b: number): number {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

const WHITE = relativeLuminance([255, 255, 255]);
const PAGE_TEXT = relativeLuminance([0x1b, 0x1f, 0x24]); // the cells' dark text, style.css

describe('heatColour', () => {
  it('gives every value from -limit to +limit a text colour with at least 4.5:1 contrast', () => {
    for (let step = -100; step <= 100; step++) {
      const { background, dark } = heatColour(step / 100, 1);
      const match = /^hsl\((\d+) (\d+)% (\d+)%\)$/.exec(background);
      expect(match, background).not.toBeNull();
      const back = relativeLuminance(hslToRgb(Number(match![1]), Number(match![2]) / 100, Number(match![3]) / 100));
      expect(contrast(back, dark ? WHITE : PAGE_TEXT), `${step / 100}: ${background}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('keeps the scale: blue for the row winning, red for the column, darker the larger |value|', () => {
    expect(heatColour(0.5, 1).background).toMatch(/^hsl\(215 /);
    expect(heatColour(-0.5, 1).background).toMatch(/^hsl\(0 /);
    const lightness = (value: number) => Number(/(\d+)%\)$/.exec(heatColour(value, 1).background)![1]);
    expect(lightness(0)).toBe(97);
    expect(lightness(1)).toBeLessThan(lightness(0.5));
    expect(lightness(0.5)).toBeLessThan(lightness(0.1));
  });
});
