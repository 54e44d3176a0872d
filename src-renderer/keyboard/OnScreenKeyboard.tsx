/**
 * An on-screen keyboard for a search field on a touch-only kiosk: 두벌식 Hangul (jamo composed
 * into syllables as they are typed, hangul-input.ts) and Latin letters, switchable, with digits
 * and the few signs an email or an employee number needs. It shows the text it is typing, so
 * the field under it may be covered. Keys act on click (a tap), never on focus.
 */
import { useState } from 'react';
import { useI18n } from '../i18n/i18n-context.tsx';
import { backspace, typeKey } from './hangul-input.ts';

type Layout = 'ko' | 'en';

const DIGITS = [...'1234567890'];
/** Hangul compatibility jamo draw small in most fonts: their keys get a larger size. */
const JAMO = /^[\u3131-\u3163]$/;
const ROWS: Record<Layout, { plain: string[][]; shift: string[][] }> = {
  ko: {
    plain: [[...'ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ'], [...'ㅁㄴㅇㄹㅎㅗㅓㅏㅣ'], [...'ㅋㅌㅊㅍㅠㅜㅡ', '-', '.']],
    shift: [[...'ㅃㅉㄸㄲㅆㅛㅕㅑㅒㅖ'], [...'ㅁㄴㅇㄹㅎㅗㅓㅏㅣ'], [...'ㅋㅌㅊㅍㅠㅜㅡ', '-', '.']],
  },
  en: {
    plain: [[...'qwertyuiop'], [...'asdfghjkl'], [...'zxcvbnm', '@', '.']],
    shift: [[...'QWERTYUIOP'], [...'ASDFGHJKL'], [...'ZXCVBNM', '_', '-']],
  },
};

type Props = {
  value: string;
  onChange: (value: string) => void;
  onClose: () => void;
  /** Which letters it starts with; Hangul unless the person reads English. */
  initialLayout?: Layout;
  /** How many the text finds now, said beside it (the list may be under the keyboard). */
  found?: string;
  /** What the empty text line says; a search unless the caller types something else. */
  placeholder?: string;
};

export function OnScreenKeyboard({
  value,
  onChange,
  onClose,
  initialLayout = 'ko',
  found,
  placeholder,
}: Props) {
  const { t } = useI18n();
  const [layout, setLayout] = useState<Layout>(initialLayout);
  const [shift, setShift] = useState(false);
  const rows = [DIGITS, ...ROWS[layout][shift ? 'shift' : 'plain']];

  const press = (key: string) => {
    onChange(typeKey(value, key));
    // A shifted key is one key (ㄲ, a capital), as on a phone keyboard.
    setShift(false);
  };

  return (
    <div className="osk" role="group" aria-label={t('kbdTitle')} data-testid="keyboard" data-layout={layout}>
      <div className="osk-preview">
        <span className="osk-text" data-testid="keyboard-text" aria-live="polite">
          {value || <span className="muted">{placeholder ?? t('search')}</span>}
        </span>
        {found !== undefined && (
          <span className="muted osk-found" data-testid="keyboard-found">
            {found}
          </span>
        )}
        <button
          type="button"
          className="btn btn-accent osk-done"
          onClick={onClose}
          data-testid="keyboard-done"
        >
          {t('kbdDone')}
        </button>
      </div>
      {rows.map((row, i) => (
        <div className="osk-row" key={i}>
          {row.map((key) => (
            <button
              type="button"
              key={key}
              className={`osk-key ${JAMO.test(key) ? 'osk-jamo' : ''}`}
              data-key={key}
              aria-label={key}
              onClick={() => press(key)}
            >
              {key}
            </button>
          ))}
        </div>
      ))}
      <div className="osk-row">
        <button
          type="button"
          className={`osk-key osk-wide ${shift ? 'on' : ''}`}
          aria-pressed={shift}
          aria-label={t('kbdShift')}
          onClick={() => setShift((s) => !s)}
          data-testid="keyboard-shift"
        >
          ⇧
        </button>
        <button
          type="button"
          className="osk-key osk-wide"
          aria-label={layout === 'ko' ? t('kbdToLatin') : t('kbdToHangul')}
          onClick={() => {
            setLayout((l) => (l === 'ko' ? 'en' : 'ko'));
            setShift(false);
          }}
          data-testid="keyboard-layout"
        >
          {layout === 'ko' ? 'ABC' : '한글'}
        </button>
        <button
          type="button"
          className="osk-key osk-space"
          aria-label={t('kbdSpace')}
          onClick={() => press(' ')}
          data-testid="keyboard-space"
        >
          {t('kbdSpace')}
        </button>
        <button
          type="button"
          className="osk-key osk-wide"
          aria-label={t('kbdBackspace')}
          onClick={() => onChange(backspace(value))}
          data-testid="keyboard-backspace"
        >
          ⌫
        </button>
      </div>
    </div>
  );
}
