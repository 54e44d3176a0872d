/**
 * What the person says about each item of a return, as the screen holds it before the return
 * is confirmed, and how it becomes the `reports` of the returnItems command: one per item that
 * has something to say, nothing for the rest (they stay lendable).
 */
import type { KioskItem, ReturnItemReport } from '../../protocol/kiosk-api.ts';
import { RETURN_NOTE_MAX } from '../../protocol/lending.ts';
import type { ReturnCondition } from '../../protocol/lending.ts';

export type ReturnDraft = {
  condition: ReturnCondition | null;
  /** A kit's parts that did not come back (the rest of its parts are ticked). */
  missing: readonly string[];
  note: string;
};

export const NO_PROBLEM: ReturnDraft = { condition: null, missing: [], note: '' };

/** The note's limit in the command's schema. */
export const NOTE_MAX = RETURN_NOTE_MAX;

export const hasProblem = (d: ReturnDraft | undefined): d is ReturnDraft =>
  !!d && (d.condition !== null || d.missing.length > 0 || d.note.trim() !== '');

/**
 * The command's reports for the items being returned, in their order. Missing parts are kept
 * in the kit's own order and only if the kit still names them (the catalog may have changed
 * the kit since the sheet was filled in), so a report names only parts the kit has now.
 */
export function toReports(
  itemIds: readonly string[],
  drafts: Readonly<Record<string, ReturnDraft>>,
  items: readonly KioskItem[],
): ReturnItemReport[] {
  const out: ReturnItemReport[] = [];
  for (const itemId of itemIds) {
    const d = drafts[itemId];
    if (!hasProblem(d)) continue;
    const parts = items.find((i) => i.id === itemId)?.parts ?? [];
    const missing = parts.filter((p) => d.missing.includes(p));
    const note = d.note.trim().slice(0, NOTE_MAX);
    const report: ReturnItemReport = {
      itemId,
      ...(d.condition ? { condition: d.condition } : {}),
      ...(missing.length > 0 ? { missingParts: missing } : {}),
      ...(note ? { note } : {}),
    };
    if (report.condition || report.missingParts || report.note) out.push(report);
  }
  return out;
}
