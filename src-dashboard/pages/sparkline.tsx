/**
 * A small line chart of one figure over time, drawn as SVG (no chart library for a few
 * dozen points): the line, its latest value in words beside it, and the range on hover.
 */
export function Sparkline(props: {
  points: { at: string; value: number | null }[];
  /** Words for a value (with its unit). */
  format: (v: number) => string;
  label: string;
  width?: number;
  height?: number;
}) {
  const { points, format, label } = props;
  const width = props.width ?? 180;
  const height = props.height ?? 36;
  const known = points.filter((p): p is { at: string; value: number } => p.value !== null);
  if (known.length === 0) return <span className="muted">—</span>;
  const t0 = Date.parse(known[0]!.at);
  const span = Math.max(1, Date.parse(known.at(-1)!.at) - t0);
  const max = Math.max(...known.map((p) => p.value), 1e-9);
  const xy = known.map((p) => [
    2 + ((Date.parse(p.at) - t0) / span) * (width - 4),
    height - 2 - (p.value / max) * (height - 4),
  ]);
  const latest = known.at(-1)!.value;
  const min = Math.min(...known.map((p) => p.value));
  return (
    <span className="sparkline" title={`${label}: ${format(min)} – ${format(max)}`}>
      <svg width={width} height={height} role="img" aria-label={`${label}: ${format(latest)}`}>
        <polyline
          points={xy.map(([x, y]) => `${x!.toFixed(1)},${y!.toFixed(1)}`).join(' ')}
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
        />
      </svg>
      <span className="num">{format(latest)}</span>
    </span>
  );
}
