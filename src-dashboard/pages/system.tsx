/**
 * System: which server processes run (alive, draining, stopped, gone) and how they do (request
 * rate, p50/p95 latency and error rate per route group over each one's last heartbeat), the
 * database, live streams and backups. Nothing announces a heartbeat on the live stream, so the
 * page also polls at the heartbeat's pace.
 */
import type {
  ReplicaStateName,
  RouteGroupFigures,
  SystemReplica,
  SystemResponse,
} from '../../protocol/index.ts';
import { api } from '../api.ts';
import { Chip, ErrorLine, Loading, Page, Stat } from '../components.tsx';
import { useData, useT } from '../context.tsx';
import { bytes, duration, ms, percent, when } from '../format.ts';
import type { MessageKey } from '../i18n.ts';
import { Sparkline } from './sparkline.tsx';

const POLL_MS = 15_000;

const STATE: Record<
  ReplicaStateName,
  { word: MessageKey; hint: MessageKey | null; tone: 'ok' | 'warn' | 'muted' | 'bad' }
> = {
  alive: { word: 'replicaAlive', hint: null, tone: 'ok' },
  draining: { word: 'replicaDraining', hint: 'replicaDrainingHint', tone: 'warn' },
  stopped: { word: 'replicaStopped', hint: 'replicaStoppedHint', tone: 'muted' },
  gone: { word: 'replicaGone', hint: 'replicaGoneHint', tone: 'bad' },
};

const GROUP_WORD: Record<RouteGroupFigures['group'], MessageKey> = {
  tap: 'groupTap',
  sync: 'groupSync',
  catalog: 'groupCatalog',
  heartbeat: 'groupHeartbeat',
  dashboard: 'groupDashboard',
  ops: 'groupOps',
  other: 'groupOther',
};

function StateChip(props: { state: ReplicaStateName }) {
  const { t } = useT();
  const s = STATE[props.state];
  return (
    <span title={s.hint ? t(s.hint) : undefined} data-state={props.state}>
      <Chip tone={s.tone}>{t(s.word)}</Chip>
    </span>
  );
}

const running = (r: SystemReplica) => r.state === 'alive' || r.state === 'draining';
const ageS = (now: string, then: string) => (Date.parse(now) - Date.parse(then)) / 1000;

function Processes(props: { data: SystemResponse }) {
  const { t, lang } = useT();
  const { data } = props;
  return (
    <table data-testid="replicas" className="system-table">
      <thead>
        <tr>
          <th>{t('state')}</th>
          <th>{t('host')}</th>
          <th>{t('process')}</th>
          <th>{t('appVersion')}</th>
          <th>{t('startedAt')}</th>
          <th>{t('lastBeat')}</th>
          <th className="num">{t('liveStreams')}</th>
          <th className="num">{t('memory')}</th>
        </tr>
      </thead>
      <tbody>
        {data.replicas.map((r) => {
          const live = running(r);
          return (
            // Stopped is history; gone is a process that may have died with work in hand: not muted.
            <tr key={r.id} data-replica={r.id} className={r.state === 'stopped' ? 'row-muted' : ''}>
              <td>
                <StateChip state={r.state} />
                {r.self ? (
                  <span title={t('thisServerHint')}>
                    <Chip tone="info">{t('thisServer')}</Chip>
                  </span>
                ) : null}
              </td>
              <td className="mono">{r.host}</td>
              <td className="mono">
                {r.id} <span className="muted">· {r.pid}</span>
              </td>
              <td className="mono">{r.version}</td>
              <td>
                <div className="nowrap">{when(lang, r.startedAt)}</div>
                {live ? (
                  <div className="muted small nowrap">
                    {t('upFor', { t: duration(lang, ageS(data.serverTime, r.startedAt)) })}
                  </div>
                ) : null}
              </td>
              <td className={`nowrap ${r.state === 'gone' ? 'bad-text' : ''}`}>
                {t('ago', { t: duration(lang, ageS(data.serverTime, r.lastBeatAt)) })}
              </td>
              <td className="num">{live && r.figures ? r.figures.streams : '—'}</td>
              <td className="num">{live && r.figures ? bytes(r.figures.rssBytes) : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Per running server, one row per route group that had requests; stopped and gone ones are stale. */
function Requests(props: { data: SystemResponse }) {
  const { t } = useT();
  const shown = props.data.replicas.filter((r) => running(r) && r.figures);
  if (shown.every((r) => r.figures!.groups.length === 0)) return <p className="empty">{t('noRequests')}</p>;
  return (
    <table data-testid="requests" className="system-table">
      <thead>
        <tr>
          <th>{t('server')}</th>
          <th>{t('routeGroup')}</th>
          <th className="num">{t('requestRate')}</th>
          <th className="num">{t('latencyP50')}</th>
          <th className="num">{t('latencyP95')}</th>
          <th className="num">{t('errorRate')}</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((r) => {
          const groups = r.figures!.groups;
          if (groups.length === 0)
            return (
              <tr key={r.id} className="group-start">
                <td className="mono">{r.host}</td>
                <td colSpan={5} className="muted">
                  {t('noRequests')}
                </td>
              </tr>
            );
          return groups.map((g, i) => (
            <tr key={`${r.id}-${g.group}`} data-group={g.group} className={i === 0 ? 'group-start' : ''}>
              {i === 0 ? (
                <td rowSpan={groups.length} className="mono server-cell">
                  {r.host}
                </td>
              ) : null}
              <td className="keep">{t(GROUP_WORD[g.group])}</td>
              <td className="num">{g.rps < 10 ? g.rps.toFixed(2) : g.rps.toFixed(1)}</td>
              <td className="num">{ms(g.p50Ms)}</td>
              <td className={`num ${g.p95Ms !== null && g.p95Ms >= 1000 ? 'warn-text' : ''}`}>
                {ms(g.p95Ms)}
              </td>
              <td className={`num ${g.errorRate > 0 ? 'bad-text' : ''}`}>{percent(g.errorRate)}</td>
            </tr>
          ));
        })}
      </tbody>
    </table>
  );
}

/** The last hour of each running process, one point per heartbeat. */
function LastHour(props: { data: SystemResponse }) {
  const { t } = useT();
  const live = props.data.replicas.filter((r) => running(r) && r.history.length > 1);
  if (live.length === 0) return <p className="empty">{t('historyNone')}</p>;
  return (
    <table data-testid="last-hour" className="system-table">
      <thead>
        <tr>
          <th>{t('server')}</th>
          <th>{t('requestRate')}</th>
          <th>{t('latencyP95')}</th>
          <th>{t('errorRate')}</th>
        </tr>
      </thead>
      <tbody>
        {live.map((r) => (
          <tr key={r.id}>
            <td className="mono">{r.host}</td>
            <td>
              <Sparkline
                label={t('requestRate')}
                points={r.history.map((p) => ({ at: p.at, value: p.rps }))}
                format={(v) => (v < 10 ? v.toFixed(2) : v.toFixed(1))}
              />
            </td>
            <td>
              <Sparkline
                label={t('latencyP95')}
                points={r.history.map((p) => ({ at: p.at, value: p.p95Ms }))}
                format={(v) => ms(v)}
              />
            </td>
            <td>
              <Sparkline
                label={t('errorRate')}
                points={r.history.map((p) => ({ at: p.at, value: p.errorRate }))}
                format={(v) => percent(v)}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SystemPage() {
  const { t, lang } = useT();
  const { data, error } = useData(() => api.get<SystemResponse>('/v1/admin/system'), [], { pollMs: POLL_MS });
  if (!data)
    return (
      <Page title={t('navSystem')}>
        <ErrorLine error={error} />
        {error ? null : <Loading />}
      </Page>
    );

  const count = (s: ReplicaStateName) => data.replicas.filter((r) => r.state === s).length;
  const alive = count('alive');
  const db = data.database;
  const b = data.backup;
  const rem = data.reminders;
  const backupFailedLast = b?.lastErrorAt && (!b.lastOkAt || b.lastErrorAt > b.lastOkAt);
  const windowS = Math.round(
    data.replicas.find((r) => running(r) && r.figures)?.figures?.windowS ?? data.beatIntervalS,
  );

  return (
    <Page
      title={t('navSystem')}
      actions={<span className="muted small">{t('asOf', { t: when(lang, data.serverTime) })}</span>}
    >
      <ErrorLine error={error} />
      <div className="stats">
        <Stat
          testId="stat-servers"
          label={t('serversRunning')}
          value={alive}
          sub={t('serversOthers', { d: count('draining'), g: count('gone') })}
          tone={alive === 0 ? 'bad' : count('gone') || count('draining') ? 'warn' : 'ok'}
        />
        <Stat
          testId="stat-database"
          compact
          label={t('database')}
          value={db.kind === 'postgres' ? t('dbPostgres') : bytes(db.dbBytes)}
          sub={
            db.kind === 'postgres'
              ? db.pool
                ? t('dbPool', { used: db.pool.inUse, idle: db.pool.idle, waiting: db.pool.waiting })
                : t('dbPostgresSub')
              : db.dbBytes === null
                ? t('dbUnmeasured')
                : t('dbWal', { size: bytes(db.walBytes) })
          }
        />
        <Stat testId="stat-streams" label={t('liveStreams')} value={data.streams} sub={t('liveStreamsSub')} />
        <Stat
          testId="stat-backup"
          compact
          label={t('lastBackup')}
          value={
            !b
              ? t('backupByPostgres')
              : b.lastOkAt
                ? t('ago', { t: duration(lang, ageS(data.serverTime, b.lastOkAt)) })
                : t('backupNone')
          }
          sub={
            b?.lastErrorAt
              ? t('backupFailed', { t: when(lang, b.lastErrorAt) })
              : b?.lastOkAt
                ? when(lang, b.lastOkAt)
                : undefined
          }
          tone={!b ? undefined : backupFailedLast ? 'bad' : b.lastOkAt ? 'ok' : 'warn'}
        />
        <Stat
          testId="stat-reminders"
          compact
          label={t('remindersJob')}
          value={
            !rem || rem.channels.length === 0
              ? t('remindersOff')
              : rem.lastRun
                ? t('ago', { t: duration(lang, ageS(data.serverTime, rem.lastRun.at)) })
                : t('remindersNotYet')
          }
          sub={
            rem?.lastRun
              ? t('remindersRun', {
                  sent: rem.lastRun.sent,
                  failed: rem.lastRun.failed,
                  n: rem.lastRun.overdueLoans,
                })
              : rem && rem.channels.length
                ? rem.channels.join(', ')
                : t('remindersOffSub')
          }
          tone={!rem?.lastRun ? undefined : rem.lastRun.failed > 0 ? 'bad' : 'ok'}
        />
      </div>

      <h2>{t('serverProcesses')}</h2>
      {data.replicas.length === 0 ? <p className="empty">{t('noReplicas')}</p> : <Processes data={data} />}
      {data.olderReplicas > 0 ? (
        <p className="muted small">{t('olderReplicas', { n: data.olderReplicas })}</p>
      ) : null}

      <h2>{t('requestsTitle', { s: windowS })}</h2>
      <Requests data={data} />

      <h2>{t('lastHourTitle')}</h2>
      <LastHour data={data} />
    </Page>
  );
}
