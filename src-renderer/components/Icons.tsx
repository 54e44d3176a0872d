/** Inline SVG icons (no icon font, no network): decorative, hidden from screen readers. */
type P = { size?: number };

export function BadgeIcon({ size = 120 }: P) {
  return (
    <svg width={size} height={size} viewBox="0 0 120 120" aria-hidden="true" className="icon">
      <rect x="22" y="30" width="56" height="76" rx="8" fill="none" stroke="currentColor" strokeWidth="6" />
      <circle cx="50" cy="60" r="10" fill="currentColor" />
      <rect x="36" y="80" width="28" height="6" rx="3" fill="currentColor" />
      <path
        d="M88 40 a24 24 0 0 1 0 36"
        fill="none"
        stroke="currentColor"
        strokeWidth="6"
        strokeLinecap="round"
      />
      <path
        d="M98 30 a38 38 0 0 1 0 56"
        fill="none"
        stroke="currentColor"
        strokeWidth="6"
        strokeLinecap="round"
      />
    </svg>
  );
}

export function CheckIcon({ size = 96 }: P) {
  return (
    <svg width={size} height={size} viewBox="0 0 96 96" aria-hidden="true" className="icon">
      <circle cx="48" cy="48" r="44" fill="currentColor" />
      <path
        d="M28 50 l13 13 l27 -29"
        fill="none"
        stroke="#fff"
        strokeWidth="9"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

export function StopIcon({ size = 96 }: P) {
  return (
    <svg width={size} height={size} viewBox="0 0 96 96" aria-hidden="true" className="icon">
      <circle cx="48" cy="48" r="44" fill="currentColor" />
      <path d="M32 32 l32 32 M64 32 l-32 32" stroke="#fff" strokeWidth="9" strokeLinecap="round" />
    </svg>
  );
}

export function Spinner() {
  return <div className="spinner" aria-hidden="true" />;
}
