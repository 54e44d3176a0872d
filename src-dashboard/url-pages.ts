/**
 * A page of a list kept in the URL with its filters (#/audit?kind=tx&at=c1.c2): the cursors
 * each page started from, joined by '.' (cursors never hold one), so a shared link or a
 * reload shows the same page and Previous still goes back. A change of filters starts
 * again from the first page. Two lists on one page keep their pages under different keys
 * (the people list's open person and its unknown-badge panel: `taps`).
 */
import { useUrlState } from './url-state.ts';

export function useUrlList<V extends Record<string, string>>(filters: V, pageKey = 'at') {
  type View = V & Record<string, string>;
  const [view, set] = useUrlState<View>({ ...filters, [pageKey]: '' } as View);
  const at = view[pageKey] ?? '';
  const starts = at ? at.split('.') : [];
  const page = (cursors: string[]) => set({ [pageKey]: cursors.join('.') } as Partial<View>);
  return {
    view,
    /** Change filters (back to the first page). */
    setFilters: (change: Partial<V>) => set({ ...change, [pageKey]: '' } as Partial<View>),
    cursor: {
      after: starts[starts.length - 1] ?? null,
      index: starts.length,
      forward: (next: string) => page([...starts, next]),
      back: () => page(starts.slice(0, -1)),
      /** Back to the first page. */
      reset: () => page([]),
    },
  };
}
