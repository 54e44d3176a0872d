/**
 * The sheet for one item of a return: a kit's parts (all ticked: "all here" is one tap on
 * Done), whether it is damaged or missing a part, and a note typed on the kiosk's own
 * keyboard. What is chosen here is kept by SessionFlow on Done; "No problem" clears it.
 * An in-app overlay, not a browser dialog: the kiosk has no pointer and no system keyboard.
 */
import { useState } from 'react';
import type { ReturnCondition } from '../../protocol/lending.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { OnScreenKeyboard } from '../keyboard/OnScreenKeyboard.tsx';
import { NOTE_MAX, type ReturnDraft } from '../state/return-reports.ts';

/** Such items wait for a check by staff before anyone borrows them. */
const CONDITIONS: ReadonlyArray<{ value: ReturnCondition; key: MessageKey }> = [
  { value: 'damaged', key: 'noteDamaged' },
  { value: 'incomplete', key: 'noteMissingPart' },
];

type Props = {
  name: string;
  /** The kit's parts, absent when the item is not a kit. */
  parts: readonly string[] | undefined;
  draft: ReturnDraft;
  onDone: (draft: ReturnDraft) => void;
  onClear: () => void;
};

export function ReturnReportSheet({ name, parts, draft, onDone, onClear }: Props) {
  const { t, lang } = useI18n();
  const [condition, setCondition] = useState<ReturnCondition | null>(draft.condition);
  const [missing, setMissing] = useState<readonly string[]>(draft.missing);
  const [note, setNote] = useState(draft.note);
  const [typing, setTyping] = useState(false);
  const problem = condition !== null || missing.length > 0;

  const togglePart = (part: string) =>
    setMissing((m) => (m.includes(part) ? m.filter((p) => p !== part) : [...m, part]));

  return (
    <div className="sheet-backdrop" data-testid="report-sheet">
      <section
        className={`sheet ${typing ? 'sheet-typing' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby="report-sheet-title"
      >
        <header className="sheet-head">
          <span className="muted sheet-kicker">{t(parts ? 'kitCheckTitle' : 'reportProblem')}</span>
          <h2 id="report-sheet-title" className="sheet-title">
            {name}
          </h2>
        </header>
        {!typing && (
          <div className="scroll">
            {parts && (
              <div className="kit-check" role="group" aria-label={t('kitCheckTitle')}>
                <p className="muted hint">{t('kitCheckHint')}</p>
                <ul className="kit-parts" data-testid="kit-parts">
                  {parts.map((part) => {
                    const here = !missing.includes(part);
                    return (
                      <li key={part}>
                        <button
                          type="button"
                          className={`kit-part ${here ? 'on' : 'kit-part-missing'}`}
                          aria-pressed={here}
                          onClick={() => togglePart(part)}
                          data-part={part}
                        >
                          <span className="kit-part-mark" aria-hidden="true">
                            {here ? '✓' : ''}
                          </span>
                          <span className="kit-part-name">{part}</span>
                          {!here && <span className="tag tag-danger">{t('partMissing')}</span>}
                        </button>
                      </li>
                    );
                  })}
                </ul>
              </div>
            )}
            <div className="sheet-row">
              <span className="sheet-label">{t('conditionLabel')}</span>
              <div className="note-chips">
                {CONDITIONS.map((c) => (
                  <button
                    key={c.value}
                    type="button"
                    className={`btn btn-toggle ${condition === c.value ? 'on' : ''}`}
                    aria-pressed={condition === c.value}
                    onClick={() => setCondition(condition === c.value ? null : c.value)}
                    data-condition={c.value}
                  >
                    {t(c.key)}
                  </button>
                ))}
              </div>
            </div>
            <div className="sheet-row">
              <span className="sheet-label">{t('noteLabel')}</span>
              {/* A button, not an input: the kiosk's keyboard types it (Hangul composed), and
                  no system keyboard is asked for. */}
              <button
                type="button"
                className={`note-field ${note ? '' : 'muted'}`}
                onClick={() => setTyping(true)}
                data-testid="report-note"
              >
                {note || t('notePlaceholder')}
              </button>
            </div>
            {problem && <p className="muted hint">{t('conditionCheckHint')}</p>}
          </div>
        )}
        {!typing && (
          <footer className="sheet-actions">
            <button type="button" className="btn btn-secondary" onClick={onClear} data-testid="report-clear">
              {t('reportNone')}
            </button>
            <button
              type="button"
              className="btn btn-accent"
              onClick={() => onDone({ condition, missing, note: note.trim() })}
              data-testid="report-done"
            >
              {t('reportDone')}
            </button>
          </footer>
        )}
      </section>
      {typing && (
        <OnScreenKeyboard
          value={note}
          onChange={(v) => setNote(v.slice(0, NOTE_MAX))}
          onClose={() => setTyping(false)}
          initialLayout={lang}
          placeholder={t('noteTyping')}
        />
      )}
    </div>
  );
}
