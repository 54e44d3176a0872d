/**
 * `npm run tap -- <badge>` taps a badge on the running kiosk's simulated reader;
 * `npm run tap -- --scan <item tag>` scans an item tag. Talks to the web host like the UI does.
 */
import WebSocket from 'ws';
import { parseCliArgs, UsageError } from '../server/cli/args.ts';
import { loadKioskConfig } from '../src-main/core/index.ts';
import { normalizeCredential, type WsServerFrame } from '../protocol/index.ts';

const USAGE =
  'usage: npm run tap -- <badge, e.g. nfc:04a1b2c3d4e5f6 | wiegand26:12:34567 | kbd:1000234>\n       npm run tap -- --scan <item tag, e.g. LT-001>';

async function main(argv: string[]): Promise<number> {
  let scan: boolean;
  let value: string | undefined;
  try {
    const args = parseCliArgs(argv, ['scan']);
    scan = args.flags.has('--scan');
    value = args.positional.length === 1 ? args.positional[0] : undefined;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n${USAGE}`);
    return 2;
  }
  if (!value) {
    console.error(USAGE);
    return 2;
  }
  const credential = scan ? null : normalizeCredential(value);
  if (!scan && !credential) {
    console.error(`"${value}" is not a badge credential.\n${USAGE}`);
    return 2;
  }
  const config = loadKioskConfig();
  const origin = `http://${config.host}:${config.port}`;
  const ws = new WebSocket(`ws://${config.host}:${config.port}/api`, { origin });
  const answer = await new Promise<Exclude<WsServerFrame, { type: 'event' }>>((resolve, reject) => {
    ws.on('error', (err) =>
      reject(new Error(`cannot reach the kiosk at ${origin} (${err.message}); is npm start running?`)),
    );
    ws.on('open', () =>
      ws.send(
        JSON.stringify({
          type: 'call',
          id: 1,
          method: scan ? 'simulateScan' : 'simulateTap',
          params: scan ? { tag: value } : { credential },
        }),
      ),
    );
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as WsServerFrame;
      if (frame.type !== 'event' && frame.id === 1) resolve(frame);
    });
  });
  ws.close();
  const result =
    answer.type === 'result'
      ? (answer.value as { ok: boolean; code?: string })
      : { ok: false, code: answer.code };
  if (result.ok) {
    console.log(scan ? `scanned ${value}` : `tapped ${credential}`);
    return 0;
  }
  console.error(
    `refused: ${result.code}${result.code === 'FORBIDDEN' ? ' (the kiosk simulator is off)' : ''}`,
  );
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  },
);
