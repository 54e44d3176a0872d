/**
 * A type-ahead picker for one item, instead of a drop-down of every item: it asks the server
 * for the first matches of what is typed (tag, name, category, borrower) and lists them; arrow
 * keys and Enter choose, Escape closes. The chosen item shows as "TAG · name" with a clear button.
 */
import { useEffect, useId, useState } from 'react';
import type { AdminItem, AdminItemsPage } from '../../../protocol/index.ts';
import { api, qs } from './api.ts';
import { useT } from './context.tsx';

const SUGGESTIONS = 8;

export function ItemPicker(props: { value: string; onChange: (itemId: string) => void; label: string }) {
  const { t } = useT();
  const listId = useId();
  const [chosen, setChosen] = useState<AdminItem | null>(null);
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [matches, setMatches] = useState<AdminItem[]>([]);
  const [active, setActive] = useState(0);

  // A value set from outside (a shared link) shows as its item.
  useEffect(() => {
    if (!props.value) return setChosen(null);
    if (chosen?.id === props.value) return;
    api.get<{ item: AdminItem }>(`/v1/admin/items/${props.value}`).then(
      (r) => setChosen(r.item),
      () => setChosen(null),
    );
  }, [props.value, chosen?.id]);

  useEffect(() => {
    if (!open) return;
    const timer = setTimeout(() => {
      api
        .get<AdminItemsPage>(
          `/v1/admin/items${qs({ q: text.trim(), status: 'all', limit: String(SUGGESTIONS) })}`,
        )
        .then(
          (r) => {
            setMatches(r.items);
            setActive(0);
          },
          () => setMatches([]),
        );
    }, 150);
    return () => clearTimeout(timer);
  }, [text, open]);

  const choose = (item: AdminItem | null) => {
    setChosen(item);
    setOpen(false);
    setText('');
    props.onChange(item?.id ?? '');
  };

  if (chosen) {
    return (
      <span className="picked" data-testid="item-picked">
        <span className="mono">{chosen.tag}</span> · {chosen.name}
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
        placeholder={t('pickItem')}
        value={text}
        data-testid="item-picker"
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
          {matches.map((item, i) => (
            <li
              key={item.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault(); // keep focus until chosen
                choose(item);
              }}
            >
              <span className="mono">{item.tag}</span> {item.name}
              {item.holder ? <span className="muted"> · {item.holder.userName}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </span>
  );
}
