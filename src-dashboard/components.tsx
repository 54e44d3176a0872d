/** Small building blocks shared by the pages. */
import type { ReactNode } from 'react';
import { useT } from './context.tsx';
import type { MessageKey } from './i18n.ts';

export function Page(props: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="page">
      <header className="page-head">
        <h1>{props.title}</h1>
        <div className="actions">{props.actions}</div>
      </header>
      {props.children}
    </section>
  );
}

export function Stat(props: {
  label: string;
  value: number | string;
  sub?: string;
  tone?: 'warn' | 'bad' | 'ok';
  testId: string;
  /** A value in words or with a unit, set smaller than a count. */
  compact?: boolean;
}) {
  return (
    <div className={`stat ${props.tone ?? ''} ${props.compact ? 'compact' : ''}`} data-testid={props.testId}>
      <div className="stat-label">{props.label}</div>
      <div className="stat-value">{props.value}</div>
      {props.sub ? <div className="stat-sub">{props.sub}</div> : null}
    </div>
  );
}

export function Chip(props: { tone: 'ok' | 'warn' | 'bad' | 'muted' | 'info'; children: ReactNode }) {
  return <span className={`chip ${props.tone}`}>{props.children}</span>;
}

export function Field(props: { label: string; hint?: string; children: ReactNode }) {
  return (
    <label className="field">
      <span className="field-label">{props.label}</span>
      {props.children}
      {props.hint ? <span className="field-hint">{props.hint}</span> : null}
    </label>
  );
}

export function ErrorLine(props: { error: unknown }) {
  const { err } = useT();
  if (!props.error) return null;
  return (
    <p className="error" role="alert">
      {err(props.error)}
    </p>
  );
}

export function Loading() {
  const { t } = useT();
  return <p className="muted">{t('loading')}</p>;
}

export function Empty(props: { what: MessageKey }) {
  const { t } = useT();
  return <p className="empty">{t(props.what)}</p>;
}

export function RoleName(props: { role: 'admin' | 'staff' | 'member' }) {
  const { t } = useT();
  return <>{t(props.role === 'admin' ? 'roleAdmin' : props.role === 'staff' ? 'roleStaff' : 'roleMember')}</>;
}

export function TxStatus(props: { status: 'applied' | 'conflict' | 'rejected' }) {
  const { t } = useT();
  if (props.status === 'applied') return <Chip tone="ok">{t('statusApplied')}</Chip>;
  if (props.status === 'conflict') return <Chip tone="warn">{t('statusConflict')}</Chip>;
  return <Chip tone="bad">{t('statusRejected')}</Chip>;
}
