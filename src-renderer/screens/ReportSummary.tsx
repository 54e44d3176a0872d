/** A returned item's report in a few words ("파손 · 배터리 2 빠짐"), for its row in the return list. */
import { useI18n } from '../i18n/i18n-context.tsx';
import type { ReturnDraft } from '../state/return-reports.ts';

export function ReportSummary({ draft }: { draft: ReturnDraft }) {
  const { t } = useI18n();
  const words: string[] = [];
  if (draft.condition === 'damaged') words.push(t('reportDamaged'));
  if (draft.missing.length === 1) words.push(t('reportMissingOne', { part: draft.missing[0]! }));
  else if (draft.missing.length > 1) words.push(t('reportMissingMany', { n: draft.missing.length }));
  else if (draft.condition === 'incomplete') words.push(t('noteMissingPart'));
  // A note alone still says something was written; beside a condition the condition says enough.
  if (words.length === 0) words.push(t('reportNoteOnly'));
  return (
    <span className="report-summary" data-testid="report-summary">
      {words.join(' · ')}
    </span>
  );
}
