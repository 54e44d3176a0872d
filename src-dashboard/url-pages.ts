/**
 * A page of a list kept in the URL with its filters (#/audit?kind=tx&at=c1.c2): the cursors
 * each page started from, joined by '.' (cursors never hold one), so a shared link or a
 * reload shows the same page and Previous still goes back. A change of filters starts
 * again from the first page.
 */
import { useUrlState } from './url-state.ts';

export function useUrlList<V extends Record<string, string>>(filters: V) {
  const [view, set] = useUrlState<V & { at: string }>({ ...filters, at: '' });
  const starts = view.at ? view.at.split('.') : [];
  return {
    view,
    /** Change filters (back to the first page). */
    setFilters: (change: Partial<V>) => set({ ...change, at: '' } as Partial<V & { at: string }>),
    cursor: {
      after: starts[starts.length - 1] ?? null,
      index: starts.length,
      forward: (next: string) => set({ at: [...starts, next].join('.') } as Partial<V & { at: string }>),
      back: () => set({ at: starts.slice(0, -1).join('.') } as Partial<V & { at: string }>),
    },
  };
}
