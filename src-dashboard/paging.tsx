/**
 * Keyset pages for the dashboard's lists: the server gives each page a `next` cursor; going
 * back returns to the cursor a page started from. A change of search or filters starts
 * again from the first page.
 */
import { useEffect, useState } from 'react';
import { useT } from './context.tsx';

/** The cursor the shown page started from, and moves forwards and back. */
export function usePageCursor(viewKey: string) {
  const [starts, setStarts] = useState<string[]>([]);
  useEffect(() => setStarts([]), [viewKey]);
  return {
    after: starts[starts.length - 1] ?? null,
    index: starts.length,
    forward: (next: string) => setStarts((s) => [...s, next]),
    back: () => setStarts((s) => s.slice(0, -1)),
  };
}

/** What a list counts, for the counter word Korean puts after the total (개, 명, 건). */
const RANGE_WORDS = {
  items: 'pageRangeItems',
  people: 'pageRangePeople',
  records: 'pageRangeRecords',
} as const;

export function Pager(props: {
  /** A page as the list hooks hold it: its rows, the count over every page, and which page it is. */
  page: { rows: unknown[]; total: number; next: string | null; index: number; totalAtLeast?: boolean };
  pageSize: number;
  counts: keyof typeof RANGE_WORDS;
  onBack: () => void;
  onForward: (next: string) => void;
}) {
  const { t, lang } = useT();
  const { page, pageSize } = props;
  const index = page.index;
  if (page.total === 0) return null;
  const from = index * pageSize + 1;
  const n = (v: number) => v.toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-US');
  // A total the server stopped counting at (the audit log past 10,000): "10,000+".
  const total = `${n(page.total)}${page.totalAtLeast ? '+' : ''}`;
  const range = t(RANGE_WORDS[props.counts], { from: n(from), to: n(from + page.rows.length - 1), total });
  return (
    <nav className="pager" aria-label={range}>
      <span className="muted" data-testid="page-range">
        {range}
      </span>
      <button className="small" disabled={index === 0} onClick={props.onBack}>
        {t('prevPage')}
      </button>
      <button
        className="small"
        disabled={!page.next}
        onClick={() => page.next && props.onForward(page.next)}
        data-testid="next-page"
      >
        {t('nextPage')}
      </button>
    </nav>
  );
}
