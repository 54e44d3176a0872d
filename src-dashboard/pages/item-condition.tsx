/**
 * An item's condition on the Items page: the chip (with what was reported and the note), the
 * form staff use to clear a check or send an item to repair or mark it lost, and the history.
 */
import { useState, type FormEvent } from 'react';
import {
  ITEM_CONDITIONS,
  type AdminItem,
  type ItemCondition,
  type ItemConditionEntry,
  type ReturnCondition,
} from '../../protocol/index.ts';
import { api } from '../api.ts';
import { Chip, ErrorLine, Field } from '../components.tsx';
import { useT } from '../context.tsx';
import { when } from '../format.ts';
import type { MessageKey } from '../i18n.ts';
import { useMissingPartsWords } from './item-parts.tsx';

const CONDITION_WORD: Record<ItemCondition, MessageKey> = {
  ok: 'conditionOk',
  needs_check: 'conditionNeedsCheck',
  in_repair: 'conditionInRepair',
  lost: 'conditionLost',
};
const REPORT_WORD = { damaged: 'reportDamaged', incomplete: 'reportIncomplete' } as const;

/** What a return said of an item: its report, the kit's parts it said were missing, its note. */
type ReturnSaid = {
  report: ReturnCondition | null;
  missingParts: readonly string[] | null;
  note: string | null;
};

/**
 * What a return said of an item, in words, one after another (the condition history, and
 * ReturnReportLine below). Null when it said nothing.
 */
function useReturnReportWords() {
  const { t } = useT();
  const missingWords = useMissingPartsWords();
  return (said: ReturnSaid): string | null =>
    [said.report ? t(REPORT_WORD[said.report]) : null, missingWords(said.missingParts), said.note]
      .filter(Boolean)
      .join(' · ') || null;
}

/**
 * A return's words under a cell's main text (the overview's recent activity, a returned
 * loan): two lines at most, the whole on hover; nothing when the return said nothing.
 */
export function ReturnReportLine(props: { said: ReturnSaid; testId: string }) {
  const words = useReturnReportWords()(props.said);
  return words ? (
    <div className="tx-report" title={words} data-testid={props.testId}>
      {words}
    </div>
  ) : null;
}

/**
 * Nothing for an item in order; otherwise a warning chip with the report, the parts a return
 * said were missing, and the note. In a list's cell the missing parts are cut to one line,
 * the whole of them on hover.
 */
export function ConditionChip(props: { item: AdminItem }) {
  const { t } = useT();
  const missingWords = useMissingPartsWords();
  const { item } = props;
  if (item.condition === 'ok') return null;
  const missing = missingWords(item.missingParts);
  return (
    <span className="condition" data-testid="condition">
      <Chip tone={item.condition === 'lost' ? 'bad' : 'warn'}>
        {t(CONDITION_WORD[item.condition])}
        {item.conditionReport ? ` · ${t(REPORT_WORD[item.conditionReport])}` : ''}
      </Chip>
      {missing ? (
        <span className="missing-parts" title={missing} data-testid="missing-parts">
          {missing}
        </span>
      ) : null}
      {item.conditionNote ? <span className="muted condition-note">{item.conditionNote}</span> : null}
    </span>
  );
}

export function ConditionForm(props: { item: AdminItem; onDone: () => void; onCancel: () => void }) {
  const { t } = useT();
  const [condition, setCondition] = useState<ItemCondition>(
    props.item.condition === 'ok' ? 'in_repair' : 'ok',
  );
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.post(`/v1/admin/items/${props.item.id}/condition`, { condition, note: note.trim() });
      props.onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="panel form-grid" onSubmit={(e) => void submit(e)} data-testid="condition-form">
      <h2 className="form-title">
        {props.item.name} — {t('setCondition')}
      </h2>
      <Field label={t('condition')}>
        <select
          name="condition"
          value={condition}
          onChange={(e) => setCondition(e.target.value as ItemCondition)}
        >
          {ITEM_CONDITIONS.map((c) => (
            <option key={c} value={c}>
              {t(CONDITION_WORD[c])}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('conditionNoteLabel')}>
        <input name="note" required maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <ErrorLine error={error} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!note.trim()}>
          {t('save')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

export function ConditionHistory(props: { entries: ItemConditionEntry[] }) {
  const { t, lang } = useT();
  const reportWords = useReturnReportWords();
  if (props.entries.length === 0) return null;
  return (
    <>
      <h3>{t('conditionHistory')}</h3>
      <table data-testid="condition-history">
        <thead>
          <tr>
            <th>{t('when')}</th>
            <th>{t('condition')}</th>
            <th>{t('note')}</th>
            <th>{t('who')}</th>
          </tr>
        </thead>
        <tbody>
          {props.entries.map((e, n) => (
            <tr key={n}>
              <td className="nowrap">{when(lang, e.at)}</td>
              <td>{t(CONDITION_WORD[e.condition])}</td>
              <td>{reportWords(e)}</td>
              <td>{e.by.kind === 'kiosk' ? t('byKiosk', { name: e.by.name ?? '' }) : (e.by.name ?? '')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
