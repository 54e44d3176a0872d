/**
 * A dashboard list the server searches, filters and pages: the view (search and filters) in
 * the URL, the search sent when typing pauses, keyset pages, and the search box every list
 * uses (one clear button). Items and people are lists of this kind.
 */
import { useEffect, useState } from 'react';
import { api, qs } from './api.ts';
import { Field } from './components.tsx';
import { useData, useT } from './context.tsx';
import { usePageCursor } from './paging.tsx';
import { useUrlState } from './url-state.ts';

export type ServerPage<T> = { rows: T[]; total: number; next: string | null; index: number };

export function useServerList<T, V extends { q: string } & Record<string, string>>(opts: {
  path: string;
  view: V;
  pageSize: number;
  rows: (response: never) => T[];
}) {
  const [view, setView] = useUrlState(opts.view);
  // The box shows what is typed at once; the search runs when typing pauses.
  const [typed, setTyped] = useState(view.q);
  useEffect(() => setTyped(view.q), [view.q]);
  useEffect(() => {
    if (typed === view.q) return;
    const t = setTimeout(() => setView({ q: typed } as Partial<V>), 250);
    return () => clearTimeout(t);
  }, [typed, view.q, setView]);
  const cursor = usePageCursor(JSON.stringify(view));
  const query = qs({ ...view, q: view.q.trim(), after: cursor.after, limit: String(opts.pageSize) });
  // Which page a response is, kept with it: the pager never shows one page's range over another's rows.
  const index = cursor.index;
  const { data, error, reload } = useData(async (): Promise<ServerPage<T>> => {
    const res = await api.get<{ total: number; next: string | null }>(`${opts.path}${query}`);
    return { rows: opts.rows(res as never), total: res.total, next: res.next, index };
  }, [query]);
  return { view, setView, typed, setTyped, cursor, data, error, reload };
}

export function SearchBox(props: {
  value: string;
  onChange: (v: string) => void;
  placeholder: string;
  testId: string;
}) {
  const { t } = useT();
  return (
    <Field label={t('search')}>
      <span className="search-box">
        <input
          type="search"
          value={props.value}
          placeholder={props.placeholder}
          aria-label={props.placeholder}
          data-testid={props.testId}
          onChange={(e) => props.onChange(e.target.value)}
        />
        {props.value ? (
          <button
            type="button"
            className="small clear"
            aria-label={t('clearSearch')}
            onClick={() => props.onChange('')}
          >
            ×
          </button>
        ) : null}
      </span>
    </Field>
  );
}
