// The pairwise matrix as a table: cell (i, j) holds M[i][j] = logit(candidate i, candidate j),
// > 0 meaning i beats j, on a diverging scale (blue: row wins, red: column wins). Cells are
// focusable and labelled, so the value is there on hover (title) and on keyboard focus.
import { el } from './dom';
import { shorten } from './format';

/** Background for a logit on a diverging blue-white-red scale, saturating at ±limit. */
export function heatColour(value: number, limit: number): { background: string; dark: boolean } {
  const t = Math.max(-1, Math.min(1, value / (limit || 1)));
  const hue = t >= 0 ? 215 : 0;
  const lightness = Math.round(97 - 50 * Math.abs(t));
  return { background: `hsl(${hue} 75% ${lightness}%)`, dark: lightness < 62 };
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
