/**
 * Development only (KioskView.status.simulator): tap a badge or scan an item tag without
 * hardware. Discreet: a small button that opens the panel; in the corner of the idle screen,
 * in the top bar on every other screen (so a developer can tap a second badge or scan during
 * a session without covering the session's buttons).
 */
import { useState } from 'react';
import type { KioskApi, KioskStatus } from '../../protocol/kiosk-api.ts';
import type { Credential } from '../../protocol/credentials.ts';
import { useI18n } from '../i18n/i18n-context.tsx';

export function SimulatorPanel({
  api,
  status,
  placement = 'corner',
}: {
  api: KioskApi;
  status: KioskStatus;
  placement?: 'corner' | 'bar';
}) {
  const { t, err } = useI18n();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('nfc:04a1b2c3d4e5f6');
  const [tag, setTag] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const tap = (raw: string) => {
    setProblem(null);
    // The core parses the credential (it answers BAD_REQUEST); the renderer stays free of schema code.
    api.simulateTap({ credential: raw.trim().toLowerCase() as Credential }).then(
      (r) => setProblem(r.ok ? null : err(r.code)),
      (e: unknown) => setProblem(err((e as { code?: string }).code)),
    );
  };

  const scan = (raw: string) => {
    setProblem(null);
    api.simulateScan({ tag: raw.trim() }).then(
      (r) => setProblem(r.ok ? null : err(r.code)),
      (e: unknown) => setProblem(err((e as { code?: string }).code)),
    );
  };

  if (!open) {
    return (
      <button
        type="button"
        className={`btn btn-quiet ${placement === 'bar' ? 'sim-toggle-bar' : 'sim-toggle'}`}
        onClick={() => setOpen(true)}
        data-testid="sim-open"
      >
        {t('simulator')}
      </button>
    );
  }
  return (
    <section
      className={`sim-panel ${placement === 'bar' ? 'sim-panel-bar' : ''}`}
      aria-label={t('simulator')}
      data-testid="sim-panel"
    >
      <div className="sim-badges">
        {(status.simulatorBadges ?? []).map((b) => (
          <button
            key={b.credential}
            type="button"
            className="btn btn-secondary"
            onClick={() => tap(b.credential)}
          >
            {b.label}
          </button>
        ))}
      </div>
      <form
        className="sim-form"
        onSubmit={(e) => {
          e.preventDefault();
          tap(value);
        }}
      >
        <label>
          <span className="visually-hidden">{t('simulatorBadge')}</span>
          <input
            className="input"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-label={t('simulatorBadge')}
            data-testid="sim-credential"
            autoComplete="off"
            spellCheck={false}
          />
        </label>
        <button type="submit" className="btn btn-primary" data-testid="sim-tap">
          {t('simulatorTap')}
        </button>
        <button
          type="button"
          className="btn btn-quiet"
          onClick={() => setOpen(false)}
          aria-label={t('simulatorClose')}
        >
          ✕
        </button>
      </form>
      <form
        className="sim-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (tag.trim()) scan(tag);
        }}
      >
        <label>
          <span className="visually-hidden">{t('simulatorTag')}</span>
          <input
            className="input"
            value={tag}
            placeholder="LB-002"
            onChange={(e) => setTag(e.target.value)}
            aria-label={t('simulatorTag')}
            data-testid="sim-tag"
            autoComplete="off"
            spellCheck={false}
          />
        </label>
        <button type="submit" className="btn btn-secondary" data-testid="sim-scan">
          {t('simulatorScan')}
        </button>
      </form>
      {problem && <p className="sim-problem">{problem}</p>}
    </section>
  );
}
