/**
 * A kit's named parts on the dashboard: the editor in the item form, the chips on the item
 * page, and the parts a return reported missing, in words. The limits and the clean-up are
 * protocol/lending.ts's (the server applies the same), checked here first so a person reads
 * what is wrong in their language before anything is sent.
 */
import type { KeyboardEvent } from 'react';
import {
  KIT_PART_NAME_MAX,
  KIT_PARTS_MAX,
  KIT_PARTS_SEPARATOR,
  kitPartHasSeparator,
  kitPartTooLong,
  normalizeKitParts,
} from '../../protocol/index.ts';
import { useT } from '../context.tsx';
import type { MessageKey } from '../i18n.ts';

/** Why a typed part cannot join the list, as words with their values; null when it can. */
export type PartProblem = { key: MessageKey; vars: Record<string, string | number> } | null;

/** The same clean-up the server applies (trim, inner spaces to one), for one typed name. */
export const cleanPart = (raw: string): string => normalizeKitParts([raw])[0] ?? '';

/** Whether `raw` may be added to `parts`; a blank name is no problem, it is just not added. */
export function partProblem(parts: readonly string[], raw: string): PartProblem {
  const part = cleanPart(raw);
  if (!part) return null;
  // The server's rule (counted as a kiosk's schema counts, in UTF-16 units), said in words here.
  if (kitPartTooLong(part)) return { key: 'partTooLong', vars: { max: KIT_PART_NAME_MAX, n: part.length } };
  if (kitPartHasSeparator(part)) return { key: 'partHasSeparator', vars: { sep: KIT_PARTS_SEPARATOR } };
  if (normalizeKitParts([...parts, part]).length === parts.length)
    return { key: 'partRepeated', vars: { part } };
  if (parts.length >= KIT_PARTS_MAX) return { key: 'tooManyParts', vars: { max: KIT_PARTS_MAX } };
  return null;
}

export type PartsDraft = { parts: string[]; typed: string; problem: PartProblem };

/**
 * The parts list of the item form: each part with a remove button, and an input that adds on
 * Enter or with the Add button. What is typed but not yet added (`typed`) belongs to the form,
 * so Save can take it too rather than silently drop it, and say why it cannot.
 */
export function PartsEditor(props: { value: PartsDraft; onChange: (next: PartsDraft) => void }) {
  const { t } = useT();
  const { parts, typed, problem } = props.value;
  const full = parts.length >= KIT_PARTS_MAX;
  const add = () => {
    const p = partProblem(parts, typed);
    if (p) return props.onChange({ parts, typed, problem: p });
    const part = cleanPart(typed);
    props.onChange({ parts: part ? [...parts, part] : parts, typed: '', problem: null });
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    // Enter adds the part; it must not submit the whole item form.
    if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
    e.preventDefault();
    add();
  };
  return (
    <fieldset className="parts-editor" data-testid="parts-editor">
      <legend className="field-label">
        {t('kitParts')}{' '}
        <span className="parts-count">{t('kitPartsCount', { n: parts.length, max: KIT_PARTS_MAX })}</span>
      </legend>
      {parts.length === 0 ? (
        <p className="muted parts-none">{t('noKitParts')}</p>
      ) : (
        <ul className="parts-list" data-testid="parts-list">
          {parts.map((part, n) => (
            <li key={part} className="part-chip">
              <span className="part-name" title={part}>
                {part}
              </span>
              <button
                type="button"
                className="part-remove"
                aria-label={t('removePart', { part })}
                title={t('removePart', { part })}
                onClick={() =>
                  props.onChange({ parts: parts.filter((_, i) => i !== n), typed, problem: null })
                }
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="parts-add">
        <input
          name="newPart"
          value={typed}
          disabled={full}
          placeholder={t('newPartPlaceholder')}
          aria-label={t('newPart')}
          aria-invalid={problem ? true : undefined}
          onChange={(e) => props.onChange({ parts, typed: e.target.value, problem: null })}
          onKeyDown={onKey}
        />
        <button type="button" onClick={add} disabled={full || !typed.trim()}>
          {t('addPart')}
        </button>
      </div>
      {full ? (
        <p className="notice" data-testid="parts-full">
          {t('tooManyParts', { max: KIT_PARTS_MAX })}
        </p>
      ) : null}
      {problem ? (
        <p className="error" role="alert" data-testid="parts-problem">
          {t(problem.key, problem.vars)}
        </p>
      ) : null}
      <p className="field-hint">{t('kitPartsHint', { max: KIT_PARTS_MAX, len: KIT_PART_NAME_MAX })}</p>
    </fieldset>
  );
}

/** A kit's parts as a compact row of chips (the item page). */
export function PartChips(props: { parts: readonly string[] }) {
  return (
    <ul className="parts-list readonly" data-testid="item-parts">
      {props.parts.map((part) => (
        <li key={part} className="part-chip">
          <span className="part-name" title={part}>
            {part}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** "빠진 구성품: 배터리 2, 충전기", or null when a report named none. */
export function useMissingPartsWords() {
  const { t } = useT();
  return (missing: readonly string[] | null): string | null =>
    missing && missing.length > 0 ? t('missingParts', { parts: missing.join(', ') }) : null;
}
