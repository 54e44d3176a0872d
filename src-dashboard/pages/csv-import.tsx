/**
 * Importing people or items from a CSV file (issue 17): a button that opens a dialog where
 * an admin chooses a file (UTF-8, with or without a BOM, or Korean Excel's CP949), sees the
 * dry run (every row's outcome, what would change, and each problem as a sentence in the
 * dashboard's language), and only then imports. A template with the headers in the chosen
 * language can be downloaded. The rules live on the server (server/import/csv-import.ts);
 * the words for rules and outcomes are protocol/csv-import.ts, shared with the CLI.
 */
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import {
  columnWords,
  decodeCsvBytes,
  importTemplate,
  importWords,
  issueSentence,
  type ImportChange,
  type ImportKind,
  type ImportOutcome,
  type ImportReport,
} from '../../protocol/csv-import.ts';
import { api } from '../api.ts';
import { Chip, ErrorLine } from '../components.tsx';
import { useT } from '../context.tsx';

/** Rows drawn at once in the report (the rest behind "show more"); errors come first. */
const SHOWN = 200;

const TONE: Record<ImportOutcome, 'ok' | 'info' | 'muted' | 'bad'> = {
  create: 'ok',
  update: 'info',
  unchanged: 'muted',
  error: 'bad',
};

const wide: CSSProperties = { width: 'min(72rem, 96vw)', maxHeight: '90vh' };
const scroll: CSSProperties = { maxHeight: '46vh', overflow: 'auto', margin: '0.8rem 0' };
const nowrap: CSSProperties = { whiteSpace: 'nowrap' };
const keepAll: CSSProperties = { wordBreak: 'keep-all', overflowWrap: 'break-word' };

export function CsvImportButton(props: { kind: ImportKind; onImported: () => void }) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button onClick={() => setOpen(true)} data-testid={`import-${props.kind}`}>
        {t('importCsv')}
      </button>
      {open ? (
        <CsvImportDialog
          kind={props.kind}
          onClose={() => setOpen(false)}
          onImported={() => {
            props.onImported();
          }}
        />
      ) : null}
    </>
  );
}

type Loaded = { name: string; text: string; encoding: 'utf-8' | 'euc-kr' };

function CsvImportDialog(props: { kind: ImportKind; onClose: () => void; onImported: () => void }) {
  const { t, lang } = useT();
  const { kind } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const [file, setFile] = useState<Loaded | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [shown, setShown] = useState(SHOWN);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  const send = async (loaded: Loaded, dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<ImportReport>(`/v1/admin/import/${kind}`, { csv: loaded.text, dryRun });
      setReport(r);
      setShown(SHOWN);
      if (r.applied) props.onImported();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const choose = async (f: File) => {
    const { text, encoding } = decodeCsvBytes(new Uint8Array(await f.arrayBuffer()));
    const loaded = { name: f.name, text, encoding };
    setFile(loaded);
    setReport(null);
    setErrorsOnly(false);
    await send(loaded, true);
  };
  const template = () => {
    const blob = new Blob([importTemplate(lang, kind)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${kind === 'people' ? t('importTemplatePeople') : t('importTemplateItems')}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const counts = report?.counts;
  const blocked = !report || report.fileIssues.length > 0 || (counts?.error ?? 0) > 0;
  const toWrite = counts ? counts.create + counts.update : 0;
  // Errors first, then the file's order.
  const rows = report
    ? [...report.rows]
        .filter((r) => !errorsOnly || r.outcome === 'error')
        .sort((a, b) => Number(b.outcome === 'error') - Number(a.outcome === 'error') || a.row - b.row)
    : [];

  const value = (c: ImportChange, v: string | null) => {
    if (v === null || v === '') return '—';
    if (c.column === 'role' || c.column === 'restrictedTo') {
      const key = ({ admin: 'roleAdmin', staff: 'roleStaff', member: 'roleMember' } as const)[
        v as 'admin' | 'staff' | 'member'
      ];
      return key ? t(key) : v;
    }
    if (c.column === 'retired') return t(v === 'yes' ? 'importYes' : 'importNo');
    return v;
  };
  const change = (c: ImportChange, isNew: boolean) => {
    const column = columnWords(lang, kind, c.column);
    if (c.column === 'badges') return `${column} + ${c.after ?? ''}`;
    return isNew
      ? `${column}: ${value(c, c.after)}`
      : `${column}: ${value(c, c.before)} → ${value(c, c.after)}`;
  };

  return (
    <dialog
      ref={ref}
      className="ask"
      style={wide}
      data-testid="csv-import"
      aria-labelledby="csv-import-title"
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <h2 id="csv-import-title">{t(kind === 'people' ? 'importPeopleTitle' : 'importItemsTitle')}</h2>
      <p>{t('importIntro')}</p>
      <ul className="field-hint" style={{ ...keepAll, margin: '0 0 0.8rem', paddingLeft: '1.1rem' }}>
        {t(kind === 'people' ? 'importPeopleHint' : 'importItemsHint')
          .split(/(?<=\.)\s+/)
          .map((sentence) => (
            <li key={sentence}>{sentence}</li>
          ))}
      </ul>
      <div className="form-actions" style={{ flexWrap: 'wrap', alignItems: 'center' }}>
        <label className="button primary">
          {t('chooseCsvFile')}
          <input
            type="file"
            accept=".csv,text/csv"
            hidden
            data-testid="csv-import-file"
            disabled={busy}
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void choose(f);
              e.target.value = '';
            }}
          />
        </label>
        <button type="button" onClick={template} data-testid="csv-import-template">
          {t('downloadTemplate')}
        </button>
        {file ? (
          <span className="field-hint" data-testid="csv-import-filename">
            {t('importFileRead', {
              file: file.name,
              encoding: file.encoding === 'utf-8' ? 'UTF-8' : 'CP949 (EUC-KR)',
            })}
          </span>
        ) : null}
      </div>
      <ErrorLine error={error} />
      {busy ? <p>{t('loading')}</p> : null}
      {report ? (
        <div data-testid="csv-import-report">
          {report.fileIssues.length ? (
            <div className="panel panel-bad" role="alert">
              {report.fileIssues.map((i) => (
                <p key={`${i.row}-${i.column}-${i.rule}`}>{issueSentence(lang, kind, i)}</p>
              ))}
            </div>
          ) : (
            <>
              <p
                data-testid="csv-import-summary"
                style={{
                  display: 'flex',
                  gap: '0.5rem',
                  flexWrap: 'wrap',
                  alignItems: 'center',
                  marginTop: '1rem',
                }}
              >
                {(['create', 'update', 'unchanged', 'error'] as const).map((o) => (
                  <Chip key={o} tone={TONE[o]}>
                    {importWords(lang, `outcome_${o}`)} {report.counts[o]}
                  </Chip>
                ))}
                {report.counts.error ? (
                  <label style={{ marginLeft: 'auto', ...nowrap }}>
                    <input
                      type="checkbox"
                      checked={errorsOnly}
                      onChange={(e) => setErrorsOnly(e.target.checked)}
                    />{' '}
                    {t('importErrorsOnly')}
                  </label>
                ) : null}
              </p>
              {report.ignoredColumns.length ? (
                <p className="field-hint">
                  {importWords(lang, 'ignoredColumns', { columns: report.ignoredColumns.join(', ') })}
                </p>
              ) : null}
              <div style={scroll}>
                <table data-testid="csv-import-rows">
                  <thead>
                    <tr>
                      <th style={nowrap}>{t('importRowNumber')}</th>
                      <th style={nowrap}>{t('importOutcome')}</th>
                      <th>{t(kind === 'people' ? 'importPersonKey' : 'importItemKey')}</th>
                      <th>{t('importDetails')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.slice(0, shown).map((r) => (
                      <tr key={r.row} data-outcome={r.outcome}>
                        <td style={nowrap}>{r.row}</td>
                        <td style={nowrap}>
                          <Chip tone={TONE[r.outcome]}>{importWords(lang, `outcome_${r.outcome}`)}</Chip>
                        </td>
                        <td style={keepAll}>
                          <strong>{r.name || '—'}</strong>
                          <br />
                          <span className="field-hint">{r.key}</span>
                        </td>
                        <td style={keepAll}>
                          {r.issues.length ? (
                            <ul style={{ margin: 0, paddingLeft: '1.1rem' }}>
                              {r.issues.map((i, n) => (
                                <li key={n} className="error">
                                  {issueSentence(lang, kind, i)}
                                </li>
                              ))}
                            </ul>
                          ) : r.changes.length ? (
                            r.changes.map((c) => change(c, r.outcome === 'create')).join(' · ')
                          ) : (
                            <span className="field-hint">{importWords(lang, 'outcome_unchanged')}</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {rows.length > shown ? (
                  <button type="button" onClick={() => setShown(shown + SHOWN * 5)}>
                    {t('importMore', { n: rows.length - shown })}
                  </button>
                ) : null}
              </div>
            </>
          )}
          {report.applied ? (
            <p className="panel panel-ok" role="status" data-testid="csv-import-done">
              {importWords(lang, 'summaryApplied', { ...report.counts })}
            </p>
          ) : blocked ? (
            <p className="error">{t('importFixFirst')}</p>
          ) : null}
        </div>
      ) : null}
      <div className="form-actions">
        {report && !report.applied ? (
          <button
            type="button"
            className="primary"
            disabled={blocked || busy || toWrite === 0}
            onClick={() => file && void send(file, false)}
            data-testid="csv-import-run"
          >
            {toWrite === 0 && !blocked ? t('importNothing') : t('importRun', { n: toWrite })}
          </button>
        ) : null}
        <button type="button" onClick={props.onClose} data-testid="csv-import-close">
          {t('close')}
        </button>
      </div>
    </dialog>
  );
}
