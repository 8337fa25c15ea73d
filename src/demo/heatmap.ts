// The pairwise matrix as a table: cell (i, j) holds M[i][j] = logit(candidate i, candidate j),
// > 0 meaning i beats j, on a diverging scale (blue: row wins, red: column wins). Cells are
// focusable and labelled, so the value is there on hover (title) and on keyboard focus.
import { el } from './dom';
import { shorten } from './format';

// WCAG 2.1 AA: cell text needs a 4.5:1 contrast with its background. White text works on
// backgrounds of relative luminance <= WHITE_TEXT_MAX, the page's dark text (#1b1f24) on
// those >= DARK_TEXT_MIN; in between neither does, so such shades are darkened until white fits.
const WHITE_TEXT_MAX = 1.05 / 4.5 - 0.05;
const DARK_TEXT_MIN = 4.5 * (luminance(0x1b, 0x1f, 0x24) + 0.05) - 0.05;

/** Background for a logit on a diverging blue-white-red scale, saturating at ±limit; `dark`: white text. */
export function heatColour(value: number, limit: number): { background: string; dark: boolean } {
  const t = Math.max(-1, Math.min(1, value / (limit || 1)));
  const hue = t >= 0 ? 215 : 0;
  let lightness = Math.round(97 - 50 * Math.abs(t));
  if (hslLuminance(hue, 75, lightness) >= DARK_TEXT_MIN) return { background: `hsl(${hue} 75% ${lightness}%)`, dark: false };
  while (hslLuminance(hue, 75, lightness) > WHITE_TEXT_MAX) lightness -= 1;
  return { background: `hsl(${hue} 75% ${lightness}%)`, dark: true };
}

/** WCAG relative luminance of an sRGB colour (channels 0-255). */
function luminance(r: number, g: number, b: number): number {
  const linear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** Relative luminance of hsl(hue, saturation%, lightness%) as the browser renders it (CSS Color 4's conversion, 8-bit channels). */
function hslLuminance(hue: number, saturation: number, lightness: number): number {
  const s = saturation / 100;
  const l = lightness / 100;
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return luminance(channel(0), channel(8), channel(4));
}

/** Renders the matrix; null values are pending cells (same size, so nothing moves when they fill). */
export function renderHeatmap(container: HTMLElement, labels: readonly string[], matrix: readonly (readonly (number | null)[])[]): void {
  const values = matrix.flat().filter((value): value is number => value !== null);
  const limit = Math.max(...values.map(Math.abs), 1e-6);
  const table = el('table', { className: 'heatmap', attrs: { 'aria-describedby': 'heatmap-note' } });
  table.append(el('caption', { className: 'visually-hidden', text: 'Pairwise logits' }));
  const head = table.createTHead().insertRow();
  head.append(el('td', { className: 'corner' }));
  labels.forEach((label, j) => head.append(el('th', { text: `#${j + 1}`, attrs: { scope: 'col', title: label } })));
  const body = table.createTBody();
  matrix.forEach((row, i) => {
    const tr = body.insertRow();
    tr.append(el('th', { text: `#${i + 1} ${shorten(labels[i] ?? '', 14)}`, attrs: { scope: 'row', title: labels[i] ?? '' } }));
    row.forEach((value, j) => {
      const td = tr.insertCell();
      if (i === j) {
        td.className = 'diagonal';
        td.setAttribute('aria-label', 'same candidate');
        return;
      }
      if (value === null) {
        td.className = 'pending';
        td.textContent = '…';
        return;
      }
      const text = value.toFixed(2);
      td.textContent = text;
      td.tabIndex = 0;
      td.title = `#${i + 1} vs #${j + 1}: M = ${text} (${value > 0 ? `#${i + 1}` : `#${j + 1}`} better)`;
      td.setAttribute('aria-label', `candidate ${i + 1} versus candidate ${j + 1}: logit ${text}`);
      const colour = heatColour(value, limit);
      td.style.background = colour.background;
      if (colour.dark) td.classList.add('dark');
    });
  });
  // Always there (pending: no numbers yet), so nothing moves when the values arrive.
  const bound = values.length ? limit.toFixed(2) : '…';
  const legend = el('p', { className: 'heat-legend' }, [
    el('span', { text: `−${bound} column better` }),
    el('span', { className: 'heat-scale', attrs: { 'aria-hidden': 'true' } }),
    el('span', { text: `row better +${bound}` }),
  ]);
  // The note sits outside the scrolling box, so it wraps to the screen, not to the table.
  const note = el('p', {
    className: 'heat-note',
    text: 'M[i][j] = logit(row i, column j): > 0 (blue) the row candidate is better, < 0 (red) the column one.',
    attrs: { id: 'heatmap-note' },
  });
  container.replaceChildren(note, el('div', { className: 'heat-scroll' }, [table]), legend);
}
