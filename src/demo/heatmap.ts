// The pairwise matrix as a table: cell (i, j) holds M[i][j] = logit(candidate i, candidate j),
// > 0 meaning i beats j, on a diverging scale (blue: row wins, red: column wins).

/** Background for a logit on a diverging blue-white-red scale, saturating at ±limit. */
function colour(value: number, limit: number): string {
  const t = Math.max(-1, Math.min(1, value / (limit || 1)));
  const hue = t >= 0 ? 215 : 0;
  return `hsl(${hue} 80% ${Math.round(97 - 45 * Math.abs(t))}%)`;
}

export function renderHeatmap(container: HTMLElement, labels: readonly string[], matrix: readonly (readonly number[])[]): void {
  const limit = Math.max(...matrix.flat().map(Math.abs), 1e-6);
  const table = document.createElement('table');
  table.className = 'heatmap';
  const caption = document.createElement('caption');
  caption.textContent = 'M[i][j] = logit(row i, column j); > 0: the row candidate is better';
  table.append(caption);
  const head = table.createTHead().insertRow();
  head.append(document.createElement('th'));
  labels.forEach((_, j) => {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = `#${j + 1}`;
    th.title = labels[j]!;
    head.append(th);
  });
  const body = table.createTBody();
  matrix.forEach((row, i) => {
    const tr = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = `#${i + 1}`;
    th.title = labels[i]!;
    tr.append(th);
    row.forEach((value, j) => {
      const td = tr.insertCell();
      if (i === j) {
        td.className = 'diagonal';
        return;
      }
      const text = value.toFixed(2);
      td.textContent = text;
      td.tabIndex = 0;
      td.title = `#${i + 1} vs #${j + 1}: ${text}`;
      td.setAttribute('aria-label', `candidate ${i + 1} versus candidate ${j + 1}: logit ${text}`);
      td.style.background = colour(value, limit);
    });
  });
  container.replaceChildren(table);
}
