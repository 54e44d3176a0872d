/**
 * Type-ahead pickers, instead of drop-downs of every item or every person: a picker asks the
 * server for the first matches of what is typed and lists them; arrow keys and Enter choose,
 * Escape closes. The chosen one shows with a clear button. A value set from outside (a shared
 * link) is looked up and shown the same way.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import {
  STAFF_KIOSK_ID,
  type AdminKiosksResponse,
  type AdminItem,
  type AdminItemsPage,
  type AdminPeopleResponse,
  type AdminPerson,
  type PersonDetailResponse,
} from '../protocol/index.ts';
import { api, qs } from './api.ts';
import { useData, useT } from './context.tsx';

const SUGGESTIONS = 8;

type PickerProps<T> = {
  value: string;
  onChange: (id: string) => void;
  label: string;
  placeholder: string;
  testId: string;
  /** The first matches of a search. */
  search: (text: string) => Promise<T[]>;
  /** One by id, for a value set from outside. */
  load: (id: string) => Promise<T>;
  render: (one: T) => ReactNode;
};

function TypeAhead<T extends { id: string }>(props: PickerProps<T>) {
  const { t } = useT();
  const listId = useId();
  const [chosen, setChosen] = useState<T | null>(null);
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [matches, setMatches] = useState<T[]>([]);
  const [active, setActive] = useState(0);
  const { value, load, search } = props;

  useEffect(() => {
    if (!value) return setChosen(null);
    if (chosen?.id === value) return;
    load(value).then(setChosen, () => setChosen(null));
  }, [value, chosen?.id, load]);

  useEffect(() => {
    if (!open) return;
    const timer = setTimeout(() => {
      search(text.trim()).then(
        (found) => {
          setMatches(found);
          setActive(0);
        },
        () => setMatches([]),
      );
    }, 150);
    return () => clearTimeout(timer);
  }, [text, open, search]);

  const choose = (one: T | null) => {
    setChosen(one);
    setOpen(false);
    setText('');
    props.onChange(one?.id ?? '');
  };

  if (chosen) {
    return (
      <span className="picked" data-testid={`${props.testId}-picked`}>
        {props.render(chosen)}
        <button
          type="button"
          className="small clear"
          aria-label={t('clearSearch')}
          onClick={() => choose(null)}
        >
          ×
        </button>
      </span>
    );
  }
  return (
    <span className="picker">
      <input
        role="combobox"
        aria-label={props.label}
        aria-expanded={open && matches.length > 0}
        aria-controls={listId}
        aria-activedescendant={open && matches[active] ? `${listId}-${active}` : undefined}
        placeholder={props.placeholder}
        value={text}
        data-testid={props.testId}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, matches.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter' && matches[active]) choose(matches[active]);
          else if (e.key === 'Escape') setOpen(false);
          else return;
          e.preventDefault();
        }}
      />
      {open && matches.length > 0 ? (
        <ul className="picker-list" role="listbox" id={listId}>
          {matches.map((one, i) => (
            <li
              key={one.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault(); // keep focus until chosen
                choose(one);
              }}
            >
              {props.render(one)}
            </li>
          ))}
        </ul>
      ) : null}
    </span>
  );
}

const searchItems = (text: string) =>
  api
    .get<AdminItemsPage>(`/v1/admin/items${qs({ q: text, status: 'all', limit: String(SUGGESTIONS) })}`)
    .then((r) => r.items);
const loadItem = (id: string) => api.get<{ item: AdminItem }>(`/v1/admin/items/${id}`).then((r) => r.item);

export function ItemPicker(props: { value: string; onChange: (id: string) => void; label: string }) {
  const { t } = useT();
  return (
    <TypeAhead<AdminItem>
      {...props}
      placeholder={t('pickItem')}
      testId="item-picker"
      search={searchItems}
      load={loadItem}
      render={(item) => (
        <>
          <span className="mono">{item.tag}</span> · {item.name}
          {item.holder ? <span className="muted"> · {item.holder.userName}</span> : null}
        </>
      )}
    />
  );
}

const searchPeople = (text: string) =>
  api
    .get<AdminPeopleResponse>(`/v1/admin/people${qs({ q: text, status: 'all', limit: String(SUGGESTIONS) })}`)
    .then((r) => r.people);
const loadPerson = (id: string) =>
  api.get<PersonDetailResponse>(`/v1/admin/people/${id}`).then((r) => r.person);

/** A person with what tells two of the same name apart (department, employee number, email). */
export function PersonPicker(props: { value: string; onChange: (id: string) => void; label: string }) {
  const { t } = useT();
  return (
    <TypeAhead<AdminPerson>
      {...props}
      placeholder={t('pickPerson')}
      testId="person-picker"
      search={searchPeople}
      load={loadPerson}
      render={(p) => (
        <>
          {p.displayName}
          <span className="muted">
            {' '}
            · {[p.department, p.employeeNumber, p.email].filter(Boolean).join(' · ') || '—'}
          </span>
        </>
      )}
    />
  );
}

/**
 * The kiosk filter of a list: a drop-down (a room has a handful of kiosks, not thousands),
 * "any" first; `withStaff` adds the dashboard's own corrections as a kiosk of their own.
 */
export function KioskSelect(props: { value: string; onChange: (id: string) => void; withStaff?: boolean }) {
  const { t } = useT();
  const kiosks = useData(() => api.get<AdminKiosksResponse>('/v1/admin/kiosks'), []).data;
  return (
    <select aria-label={t('kiosk')} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      <option value="">{t('anything')}</option>
      {kiosks?.kiosks.map((k) => (
        <option key={k.id} value={k.id}>
          {k.name}
        </option>
      ))}
      {props.withStaff ? <option value={STAFF_KIOSK_ID}>{t('staffKiosk')}</option> : null}
    </select>
  );
}
