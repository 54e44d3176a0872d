/**
 * A page's view (search, filters, sort) kept in the URL after the route (#/items?q=cam), so
 * a link shows the same list to whoever opens it and Back returns to it. Written with
 * replaceState: typing in a search box does not leave one history entry per letter. Several
 * parts of a page may each keep their own keys; a change to one leaves the others' keys be.
 */
import { useCallback, useEffect, useState } from 'react';

/** The route part of the hash (#/items?q=cam -> 'items'). */
export const routeOfHash = (hash: string): string => hash.replace(/^#\/?/, '').split('?')[0]!;

function readQuery(): Record<string, string> {
  const query = window.location.hash.split('?')[1] ?? '';
  return Object.fromEntries(new URLSearchParams(query));
}

/** The view's values, with `defaults` for what the URL does not say; `set` merges a change. */
export function useUrlState<T extends Record<string, string>>(
  defaults: T,
): [T, (change: Partial<T>) => void] {
  const [values, setValues] = useState<T>(() => ({ ...defaults, ...pick(defaults, readQuery()) }));
  useEffect(() => {
    const onHash = () => setValues({ ...defaults, ...pick(defaults, readQuery()) });
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
    // defaults are a constant of the page: read once
  }, []);
  const set = useCallback(
    (change: Partial<T>) =>
      setValues((was) => {
        const next = { ...was, ...change } as T;
        // Keys another part of the page keeps (a list's page and an open panel's page) stay.
        const params = new URLSearchParams(window.location.hash.split('?')[1] ?? '');
        for (const [k, v] of Object.entries(next)) {
          if (v && v !== defaults[k]) params.set(k, v);
          else params.delete(k);
        }
        const route = routeOfHash(window.location.hash);
        const query = params.toString();
        window.history.replaceState(null, '', `#/${route}${query ? `?${query}` : ''}`);
        return next;
      }),
    [],
  );
  return [values, set];
}

/** Only the keys the page knows; anything else in the URL is ignored. */
function pick<T extends Record<string, string>>(defaults: T, query: Record<string, string>): Partial<T> {
  return Object.fromEntries(Object.entries(query).filter(([k]) => k in defaults)) as Partial<T>;
}
