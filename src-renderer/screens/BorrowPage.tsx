/** Borrow: a searchable list grouped by category, a cart, one confirm for several items. */
import { useState } from 'react';
import type { KioskItem } from '../../protocol/kiosk-api.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import { OnScreenKeyboard } from '../keyboard/OnScreenKeyboard.tsx';
import { availability, findByTag, groupByCategory, MAX_ITEMS_PER_COMMAND } from '../state/catalog.ts';

type Props = {
  items: readonly KioskItem[];
  cart: readonly string[];
  onToggle: (itemId: string) => void;
  onConfirm: () => void;
  onScanTag: (tag: string) => void;
};

export function BorrowPage({ items, cart, onToggle, onConfirm, onScanTag }: Props) {
  const { t, err, lang, dateTime } = useI18n();
  const [query, setQuery] = useState('');
  const [keyboard, setKeyboard] = useState(false);
  const groups = groupByCategory(items, query);
  const found = groups.reduce((n, g) => n + g.items.length, 0);
  const inCart = cart.map((id) => items.find((i) => i.id === id)).filter((i): i is KioskItem => !!i);
  const full = cart.length >= MAX_ITEMS_PER_COMMAND;

  return (
    <div className="work-area">
      <section className="panel list-panel" aria-label={t('borrowTitle')}>
        <p className="muted hint">{t('scanOrPick')}</p>
        <form
          className="search"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            // A wedge scanner typing into the focused search box ends with Enter: treat an exact tag as a scan.
            if (findByTag(items, query)) {
              onScanTag(query);
              setQuery('');
            }
          }}
        >
          {/* inputMode none: no system keyboard pops up (a wedge scanner still types); a tap
              opens the kiosk's own, which composes Hangul. */}
          <input
            className="input"
            type="search"
            inputMode="none"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onClick={() => setKeyboard(true)}
            placeholder={t('searchPlaceholder')}
            aria-label={t('search')}
            autoComplete="off"
            spellCheck={false}
            data-testid="search"
          />
          {query && (
            <button
              type="button"
              className="btn btn-quiet"
              onClick={() => setQuery('')}
              aria-label={t('clearSearch')}
            >
              ✕
            </button>
          )}
          <button
            type="button"
            className="btn btn-secondary"
            aria-expanded={keyboard}
            onClick={() => setKeyboard((k) => !k)}
            data-testid="keyboard-open"
          >
            {t('kbdOpen')}
          </button>
        </form>
        {keyboard && (
          <OnScreenKeyboard
            value={query}
            onChange={setQuery}
            onClose={() => setKeyboard(false)}
            initialLayout={lang}
            found={t('kbdFoundItems', { n: found })}
          />
        )}
        <div className="scroll" data-testid="item-list">
          {groups.length === 0 && <p className="muted empty">{t('noMatch')}</p>}
          {groups.map((group) => (
            <section key={group.category} className="category">
              <h3 className="category-title">{group.category}</h3>
              <ul className="item-grid">
                {group.items.map((item) => {
                  const a = availability(item);
                  const chosen = cart.includes(item.id);
                  const disabled = a.kind === 'blocked' || (!chosen && full);
                  return (
                    <li key={item.id}>
                      <button
                        type="button"
                        className={`item ${item.photo ? 'item-with-photo' : ''} ${chosen ? 'item-chosen' : ''} ${a.kind === 'blocked' ? 'item-blocked' : ''}`}
                        aria-pressed={chosen}
                        disabled={disabled}
                        onClick={() => onToggle(item.id)}
                        aria-label={
                          chosen
                            ? t('removeFromCart', { name: item.name })
                            : t('addToCart', { name: item.name })
                        }
                        data-item-tag={item.tag}
                      >
                        {item.photo && <img className="item-thumb" src={item.photo} alt="" />}
                        <span className="item-name">{item.name}</span>
                        <span className="item-meta">
                          {item.tag} · {t('loanDays', { n: item.loanDays })}
                        </span>
                        {a.kind === 'blocked' && (
                          <span className="tag tag-muted">
                            {a.code === 'ITEM_UNAVAILABLE'
                              ? t('onLoan')
                              : a.code === 'ITEM_RESERVED' && item.freeAt
                                ? t('reservedFreeAt', { time: dateTime(item.freeAt) })
                                : err(a.code)}
                          </span>
                        )}
                        {chosen && <span className="tag tag-ok">✓ {t('inCart')}</span>}
                      </button>
                    </li>
                  );
                })}
              </ul>
            </section>
          ))}
        </div>
      </section>
      <aside className="panel cart-panel" aria-label={t('cart')}>
        <h2>{t('cart')}</h2>
        {inCart.length === 0 ? (
          <p className="muted empty">{t('cartEmpty')}</p>
        ) : (
          <ul className="cart-list" data-testid="cart">
            {inCart.map((item) => (
              <li key={item.id} className="cart-line">
                <span className="item-name">{item.name}</span>
                <button
                  type="button"
                  className="btn btn-quiet btn-icon"
                  onClick={() => onToggle(item.id)}
                  aria-label={t('removeFromCart', { name: item.name })}
                >
                  ✕
                </button>
              </li>
            ))}
          </ul>
        )}
        {full && <p className="muted">{t('cartFull', { n: MAX_ITEMS_PER_COMMAND })}</p>}
        <button
          type="button"
          className="btn btn-primary btn-big confirm"
          disabled={cart.length === 0}
          onClick={onConfirm}
          data-testid="confirm-borrow"
        >
          {cart.length === 0 ? t('borrow') : t('borrowN', { n: cart.length })}
        </button>
      </aside>
    </div>
  );
}
