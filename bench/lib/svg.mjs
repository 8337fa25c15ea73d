// A small SVG writer for one horizontal bar chart (no dependencies).

const escape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * bars: [{ label, value, note? }] drawn top to bottom, scaled to the largest value.
 * Returns the SVG document as a string.
 */
export function barChart({ title, subtitle, unit, bars }) {
  const rowHeight = 26;
  const labelWidth = 230;
  const barWidth = 420;
  const top = subtitle ? 58 : 40;
  const width = labelWidth + barWidth + 150;
  const height = top + bars.length * rowHeight + 30;
  const max = Math.max(...bars.map((bar) => bar.value), 1e-9);
  const palette = ['#3b6ea5', '#5a9e4b', '#c0792b', '#8b5aa8', '#b04a4a', '#4a9ea0'];
  const rows = bars.map((bar, k) => {
    const y = top + k * rowHeight;
    const w = Math.max(1, (bar.value / max) * barWidth);
    const color = palette[(bar.group ?? k) % palette.length];
    const value = bar.value >= 10 ? bar.value.toFixed(1) : bar.value.toFixed(3);
    return [
      `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${escape(bar.label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowHeight - 8}" fill="${color}"/>`,
      `<text x="${labelWidth + w + 6}" y="${y + 17}">${escape(`${value} ${unit}${bar.note ? ` (${bar.note})` : ''}`)}</text>`,
    ].join('\n  ');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">
  <rect width="100%" height="100%" fill="#ffffff"/>
  <text x="12" y="24" font-size="16" font-weight="bold">${escape(title)}</text>
  ${subtitle ? `<text x="12" y="44" fill="#555">${escape(subtitle)}</text>` : ''}
  ${rows.join('\n  ')}
  <line x1="${labelWidth}" y1="${top}" x2="${labelWidth}" y2="${top + bars.length * rowHeight}" stroke="#333"/>
</svg>
`;
}
