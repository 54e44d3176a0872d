/**
 * Lending rules (issue 16): the default rule and rules per category and role, opening hours
 * and closed days in the room's time zone, whether overdue loans block borrowing; and
 * suspensions. Admins edit and save the whole set at once (the server checks it and saves it
 * whole or not at all); staff read. Kiosks get a saved set with their next catalog pull.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type {
  DefaultRule,
  PoliciesResponse,
  PolicyRule,
  PolicySet,
  Role,
  SuspensionsResponse,
} from '../../protocol/index.ts';
import { ApiError, api } from '../api.ts';
import { ErrorLine, Field, Loading, Page } from '../components.tsx';
import { useApp, useData, useT } from '../context.tsx';
import { when } from '../format.ts';
import type { MessageKey } from '../i18n.ts';
import { PersonPicker } from '../type-ahead.tsx';

/** Monday first, as people read a week here; the wire keeps JavaScript's Sunday-first order. */
const WEEK: { day: number; key: MessageKey }[] = [
  { day: 1, key: 'polMon' },
  { day: 2, key: 'polTue' },
  { day: 3, key: 'polWed' },
  { day: 4, key: 'polThu' },
  { day: 5, key: 'polFri' },
  { day: 6, key: 'polSat' },
  { day: 0, key: 'polSun' },
];
const ROLES: Role[] = ['member', 'staff', 'admin'];

/** A number field's text as a number, or `empty` when blank. */
const num = <E,>(text: string, empty: E): number | E => (text.trim() === '' ? empty : Number(text));
const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

export function PoliciesPage() {
  const { t, lang } = useT();
  const { me } = useApp();
  const canEdit = me.role === 'admin';
  const { data, error, reload } = useData(() => api.get<PoliciesResponse>('/v1/admin/policies'), []);
  const [draft, setDraft] = useState<PolicySet | null>(null);
  /** The version the draft started from: a save names it, and is refused if someone saved since. */
  const [base, setBase] = useState<string | null>(null);
  /**
   * Unsaved edits. The page reloads at every live change anywhere (a borrow at a kiosk): the
   * server's set replaces the draft only while there is nothing of the person's own in it.
   */
  const [dirty, setDirty] = useState(false);
  // Read by the effect below without re-running it: a save clears `dirty` before the reload
  // brings the saved set, and the set from before the save must not come back meanwhile.
  const dirtyRef = useRef(false);
  dirtyRef.current = dirty;
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [newDay, setNewDay] = useState('');

  useEffect(() => {
    if (data && !dirtyRef.current) {
      setDraft(data.policies);
      setBase(data.version);
    }
  }, [data]);
  // Someone else saved while this person has edits of their own: say so before they save.
  const overtaken = dirty && data !== null && base !== null && data.version !== base;

  if (!data || !draft)
    return <Page title={t('navPolicies')}>{error ? <ErrorLine error={error} /> : <Loading />}</Page>;

  const set = (patch: Partial<PolicySet>) => {
    setSaved(false);
    setDirty(true);
    setDraft({ ...draft, ...patch });
  };
  const setDefault = (patch: Partial<DefaultRule>) => set({ default: { ...draft.default, ...patch } });
  const setRule = (i: number, patch: Partial<PolicyRule>) => {
    const rules = draft.rules.map((r, j) => {
      if (j !== i) return r;
      const next = { ...r, ...patch };
      // Absent means "as the next rule says": drop keys set back to that.
      for (const k of Object.keys(patch) as (keyof PolicyRule)[]) if (patch[k] === undefined) delete next[k];
      return next;
    });
    set({ rules });
  };
  const hours = draft.hours;
  const setHours = (day: number, value: { open: string; close: string } | null) =>
    set({ hours: (hours ?? defaultWeek()).map((h, d) => (d === day ? value : h)) });

  const save = async () => {
    setSaveError(null);
    try {
      // From the version this edit began with: someone else's save meanwhile is not undone.
      const res = await api.put<PoliciesResponse>('/v1/admin/policies', draft, base ?? undefined);
      setDraft(res.policies);
      setBase(res.version);
      setDirty(false);
      setSaved(true);
      reload();
    } catch (err) {
      setSaveError(err);
    }
  };

  const ro = !canEdit;
  return (
    <Page
      title={t('navPolicies')}
      actions={
        canEdit ? (
          <button className="primary" data-testid="save-policies" onClick={() => void save()}>
            {t('polSave')}
          </button>
        ) : null
      }
    >
      <ErrorLine error={error ?? saveError ?? (overtaken ? new ApiError('POLICIES_CHANGED', 409) : null)} />
      {saved ? (
        <p className="ok-line" role="status" data-testid="policies-saved">
          {t('polSaved')}
        </p>
      ) : null}
      <p className="muted" data-testid="policies-updated">
        {data.updatedAt
          ? t('polUpdated', { t: when(lang, data.updatedAt), who: data.updatedBy ?? '-' })
          : t('polNeverSaved')}
      </p>

      <div className="policy-grid">
        <section className="panel" aria-labelledby="pol-default">
          <h2 id="pol-default">{t('polDefault')}</h2>
          <RuleFields rule={draft.default} onChange={setDefault} readOnly={ro} isDefault />
          <label className="check">
            <input
              type="checkbox"
              disabled={ro}
              checked={draft.blockOverdue}
              data-testid="block-overdue"
              onChange={(e) => set({ blockOverdue: e.target.checked })}
            />
            {t('polBlockOverdue')}
          </label>
        </section>

        <section className="panel" aria-labelledby="pol-hours">
          <h2 id="pol-hours">{t('polHours')}</h2>
          <Field label={t('polTimeZone')} hint={t('polTimeZoneHint')}>
            <input
              value={draft.timeZone}
              disabled={ro}
              data-testid="time-zone"
              onChange={(e) => set({ timeZone: e.target.value.trim() })}
            />
          </Field>
          <label className="check">
            <input
              type="checkbox"
              disabled={ro}
              checked={hours !== null}
              data-testid="keep-hours"
              onChange={(e) => set({ hours: e.target.checked ? defaultWeek() : null })}
            />
            {t('polKeepHours')}
          </label>
          {hours === null ? (
            <p className="muted">{t('polNoHoursHint')}</p>
          ) : (
            <table className="hours" data-testid="hours">
              <tbody>
                {WEEK.map(({ day, key }) => {
                  const h = hours[day] ?? null;
                  return (
                    <tr key={day} data-day={day}>
                      <th scope="row">{t(key)}</th>
                      <td>
                        <label className="check">
                          <input
                            type="checkbox"
                            disabled={ro}
                            checked={h !== null}
                            onChange={(e) =>
                              setHours(day, e.target.checked ? { open: '09:00', close: '18:00' } : null)
                            }
                          />
                          {t('polOpen')}
                        </label>
                      </td>
                      <td>
                        {h ? (
                          <span className="hours-range">
                            <input
                              type="time"
                              aria-label={t('polOpensAt')}
                              disabled={ro}
                              value={h.open}
                              onChange={(e) => setHours(day, { ...h, open: e.target.value })}
                            />
                            –
                            <input
                              type="time"
                              aria-label={t('polClosesAt')}
                              disabled={ro}
                              value={h.close}
                              onChange={(e) => setHours(day, { ...h, close: e.target.value })}
                            />
                          </span>
                        ) : (
                          // the label stays "Open", so an unchecked day says what that means
                          <span className="muted">{t('polClosed')}</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <h3>{t('polClosedDays')}</h3>
          <p className="muted">{t('polClosedDaysHint')}</p>
          <ul className="closed-days" data-testid="closed-days">
            {[...draft.closedDays].sort().map((d) => (
              <li key={d}>
                <span className="mono">{d}</span>
                {canEdit ? (
                  <button
                    className="link"
                    aria-label={t('polRemoveDay', { d })}
                    onClick={() => set({ closedDays: draft.closedDays.filter((x) => x !== d) })}
                  >
                    ✕
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
          {canEdit ? (
            <div className="inline-form">
              <input
                type="date"
                value={newDay}
                aria-label={t('polAddDay')}
                data-testid="new-closed-day"
                onChange={(e) => setNewDay(e.target.value)}
              />
              <button
                disabled={!newDay || draft.closedDays.includes(newDay)}
                onClick={() => {
                  set({ closedDays: [...draft.closedDays, newDay] });
                  setNewDay('');
                }}
              >
                {t('polAddDay')}
              </button>
            </div>
          ) : null}
        </section>
      </div>

      <section className="panel" aria-labelledby="pol-rules">
        <div className="panel-head">
          <h2 id="pol-rules">{t('polRules')}</h2>
          {canEdit ? (
            <button
              data-testid="add-rule"
              onClick={() => set({ rules: [...draft.rules, { category: '', role: null }] })}
            >
              {t('polAddRule')}
            </button>
          ) : null}
        </div>
        <p className="muted">{t('polRulesHint')}</p>
        {draft.rules.length === 0 ? (
          <p className="empty">{t('polNoRules')}</p>
        ) : (
          <table data-testid="rules" className="rules">
            <thead>
              <tr>
                <th>{t('category')}</th>
                <th>{t('role')}</th>
                <th>{t('polLoanDays')}</th>
                <th>{t('polMaxItems')}</th>
                <th>{t('polMaxPerCategory')}</th>
                <th>{t('polMaxRenewals')}</th>
                <th>{t('polMayBorrow')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {draft.rules.map((r, i) => (
                <tr key={i} data-rule={i}>
                  <td>
                    <input
                      value={r.category ?? ''}
                      disabled={ro}
                      placeholder={t('polAnyCategory')}
                      aria-label={t('category')}
                      onChange={(e) =>
                        setRule(i, { category: e.target.value === '' ? null : e.target.value })
                      }
                    />
                  </td>
                  <td>
                    <select
                      value={r.role ?? ''}
                      disabled={ro}
                      aria-label={t('role')}
                      onChange={(e) =>
                        setRule(i, { role: e.target.value === '' ? null : (e.target.value as Role) })
                      }
                    >
                      <option value="">{t('polAnyRole')}</option>
                      {ROLES.map((role) => (
                        <option key={role} value={role}>
                          {roleWord(t, role)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <NumberCell
                      value={r.loanDays}
                      ro={ro}
                      label={t('polLoanDays')}
                      onChange={(v) => setRule(i, { loanDays: v })}
                    />
                  </td>
                  <td>
                    {r.category === null ? (
                      <NumberCell
                        value={r.maxItems}
                        ro={ro}
                        label={t('polMaxItems')}
                        onChange={(v) => setRule(i, { maxItems: v ?? undefined })}
                      />
                    ) : (
                      <span className="muted">–</span>
                    )}
                  </td>
                  <td>
                    <NumberCell
                      value={r.maxPerCategory}
                      ro={ro}
                      label={t('polMaxPerCategory')}
                      onChange={(v) => setRule(i, { maxPerCategory: v })}
                    />
                  </td>
                  <td>
                    <NumberCell
                      value={r.maxRenewals}
                      ro={ro}
                      label={t('polMaxRenewals')}
                      onChange={(v) => setRule(i, { maxRenewals: v ?? undefined })}
                    />
                  </td>
                  <td>
                    <select
                      value={r.mayBorrow === undefined ? '' : r.mayBorrow ? 'yes' : 'no'}
                      disabled={ro}
                      aria-label={t('polMayBorrow')}
                      onChange={(e) =>
                        setRule(i, {
                          mayBorrow: e.target.value === '' ? undefined : e.target.value === 'yes',
                        })
                      }
                    >
                      <option value="">{t('polInherit')}</option>
                      <option value="yes">{t('polYes')}</option>
                      <option value="no">{t('polNo')}</option>
                    </select>
                  </td>
                  <td>
                    {canEdit ? (
                      <button
                        className="link"
                        onClick={() => set({ rules: draft.rules.filter((_, j) => j !== i) })}
                      >
                        {t('polRemove')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="muted">{t('polBlankHint')}</p>
      </section>

      <Suspensions canEdit={canEdit} />
    </Page>
  );
}

const defaultWeek = (): NonNullable<PolicySet['hours']> =>
  Array.from({ length: 7 }, (_, d) => (d === 0 || d === 6 ? null : { open: '09:00', close: '18:00' }));

function roleWord(t: ReturnType<typeof useT>['t'], role: Role) {
  return t(role === 'admin' ? 'roleAdmin' : role === 'staff' ? 'roleStaff' : 'roleMember');
}

/** A blank number means "as the next rule says" (or, on the default, "no limit" / "the item's own"). */
function NumberCell(props: {
  value: number | null | undefined;
  ro: boolean;
  label: string;
  onChange: (v: number | undefined) => void;
}) {
  return (
    <input
      type="number"
      className="num"
      aria-label={props.label}
      disabled={props.ro}
      value={text(props.value)}
      onChange={(e) => props.onChange(num(e.target.value, undefined))}
    />
  );
}

function RuleFields(props: {
  rule: DefaultRule;
  onChange: (patch: Partial<DefaultRule>) => void;
  readOnly: boolean;
  isDefault: boolean;
}) {
  const { t } = useT();
  const { rule, onChange, readOnly } = props;
  const row = (label: string, hint: string, children: ReactNode) => (
    <Field label={label} hint={hint}>
      {children}
    </Field>
  );
  return (
    <div className="rule-fields" data-testid="default-rule">
      {row(
        t('polLoanDays'),
        t('polLoanDaysHint'),
        <input
          type="number"
          name="loanDays"
          disabled={readOnly}
          value={text(rule.loanDays)}
          onChange={(e) => onChange({ loanDays: num(e.target.value, null) })}
        />,
      )}
      {row(
        t('polMaxItems'),
        t('polMaxItemsHint'),
        <input
          type="number"
          name="maxItems"
          disabled={readOnly}
          value={text(rule.maxItems)}
          onChange={(e) => onChange({ maxItems: num(e.target.value, 0) })}
        />,
      )}
      {row(
        t('polMaxPerCategory'),
        t('polMaxPerCategoryHint'),
        <input
          type="number"
          name="maxPerCategory"
          disabled={readOnly}
          value={text(rule.maxPerCategory)}
          onChange={(e) => onChange({ maxPerCategory: num(e.target.value, null) })}
        />,
      )}
      {row(
        t('polMaxRenewals'),
        t('polMaxRenewalsHint'),
        <input
          type="number"
          name="maxRenewals"
          disabled={readOnly}
          value={text(rule.maxRenewals)}
          onChange={(e) => onChange({ maxRenewals: num(e.target.value, 0) })}
        />,
      )}
      <label className="check">
        <input
          type="checkbox"
          name="mayBorrow"
          disabled={readOnly}
          checked={rule.mayBorrow}
          onChange={(e) => onChange({ mayBorrow: e.target.checked })}
        />
        {t('polMayBorrowDefault')}
      </label>
    </div>
  );
}

function Suspensions(props: { canEdit: boolean }) {
  const { t } = useT();
  const { data, error, reload } = useData(() => api.get<SuspensionsResponse>('/v1/admin/suspensions'), []);
  const [who, setWho] = useState('');
  const [until, setUntil] = useState('');
  const [note, setNote] = useState('');
  const [actionError, setActionError] = useState<unknown>(null);

  const suspend = async () => {
    setActionError(null);
    try {
      await api.put(`/v1/admin/suspensions/${who}`, { until, note });
      setWho('');
      setUntil('');
      setNote('');
      reload();
    } catch (err) {
      setActionError(err);
    }
  };
  const lift = async (userId: string) => {
    try {
      await api.del(`/v1/admin/suspensions/${userId}`);
      reload();
    } catch (err) {
      setActionError(err);
    }
  };

  return (
    <section className="panel" aria-labelledby="pol-suspensions">
      <h2 id="pol-suspensions">{t('polSuspensions')}</h2>
      <p className="muted">{t('polSuspensionsHint')}</p>
      <ErrorLine error={error ?? actionError} />
      {!data ? (
        <Loading />
      ) : data.suspensions.length === 0 ? (
        <p className="empty">{t('polNoSuspensions')}</p>
      ) : (
        <table data-testid="suspensions">
          <thead>
            <tr>
              <th>{t('name')}</th>
              <th>{t('polUntil')}</th>
              <th>{t('note')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.suspensions.map((s) => (
              <tr key={s.userId}>
                <td>{s.displayName}</td>
                <td className="mono">{s.until}</td>
                <td>{s.note ?? ''}</td>
                <td>
                  {props.canEdit ? (
                    <button className="link" onClick={() => void lift(s.userId)}>
                      {t('polLift')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.canEdit ? (
        <div className="inline-form" data-testid="suspend-form">
          {/* A type-ahead, not a list of everyone: the room may have thousands of people. */}
          <PersonPicker value={who} onChange={setWho} label={t('polPickPerson')} />
          <input
            type="date"
            aria-label={t('polUntil')}
            value={until}
            onChange={(e) => setUntil(e.target.value)}
          />
          <input
            aria-label={t('note')}
            placeholder={t('note')}
            maxLength={500}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <button disabled={!who || !until} onClick={() => void suspend()}>
            {t('polSuspend')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
