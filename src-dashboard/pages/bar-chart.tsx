/**
 * Horizontal bars drawn as inline SVG (no chart library for a dozen bars): one row per
 * label, the bar's length against the largest value, the value in words at its end. Long
 * labels are cut with an ellipsis; the whole label is in the row's tooltip.
 */
export type Bar = { key: string; label: string; value: number; display: string };

const ROW = 26;
const LABEL_W = 190;
const VALUE_W = 110;
const WIDTH = 640;

function cut(label: string, max: number): string {
  // A Hangul syllable is about twice as wide as a Latin letter.
  let width = 0;
  let out = '';
  for (const ch of label) {
    width += /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\u4e00-\u9fff]/.test(ch) ? 2 : 1;
    if (width > max) return `${out}…`;
    out += ch;
  }
  return out;
}

export function BarChart(props: {
  bars: Bar[];
  label: string;
  testId: string;
  tone?: 'bad' | 'info';
  max?: number;
}) {
  const { bars } = props;
  if (bars.length === 0) return null;
  const max = props.max ?? Math.max(...bars.map((b) => b.value), 1e-9);
  const barSpace = WIDTH - LABEL_W - VALUE_W;
  const height = bars.length * ROW + 4;
  return (
    <svg
      className={`bar-chart ${props.tone ?? 'info'}`}
      data-testid={props.testId}
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      style={{ maxWidth: `${WIDTH}px` }}
      role="img"
      aria-label={props.label}
    >
      {bars.map((b, i) => {
        const y = i * ROW + 2;
        const w = Math.max(b.value > 0 ? 2 : 0, (b.value / max) * barSpace);
        return (
          <g key={b.key} data-testid="bar">
            <title>{`${b.label}: ${b.display}`}</title>
            <text
              x={LABEL_W - 8}
              y={y + ROW / 2}
              textAnchor="end"
              dominantBaseline="middle"
              className="bar-label"
            >
              {cut(b.label, 20)}
            </text>
            <rect x={LABEL_W} y={y + 4} width={w} height={ROW - 8} rx={3} className="bar" />
            <text x={LABEL_W + w + 6} y={y + ROW / 2} dominantBaseline="middle" className="bar-value">
              {b.display}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
