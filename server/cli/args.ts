/**
 * Command-line arguments of the admin CLI and the dev scripts, read by node:util's parseArgs
 * (strict: an unknown option or a value-taking option without its value is a usage error,
 * never silently a flag). Options are named once here with the kind of value they take.
 */
import { parseArgs } from 'node:util';

export class UsageError extends Error {}

const OPTIONS = {
  role: { type: 'string' },
  label: { type: 'string' },
  category: { type: 'string' },
  days: { type: 'string' },
  restricted: { type: 'string' },
  locker: { type: 'string' },
  to: { type: 'string' },
  scan: { type: 'boolean' },
  json: { type: 'boolean' },
  revoke: { type: 'boolean' },
  'password-stdin': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'skip-bad': { type: 'boolean' },
  lang: { type: 'string' },
} as const;

export type CliOption = keyof typeof OPTIONS;
export type ParsedArgs = {
  positional: string[];
  /** Keyed as typed on the command line ('--role'); a boolean option reads as true. */
  flags: Map<`--${CliOption}`, string | true>;
};

/** Parses `argv`; throws UsageError with a sentence a person can act on. */
export function parseCliArgs(
  argv: string[],
  allowed: readonly CliOption[] = Object.keys(OPTIONS) as CliOption[],
): ParsedArgs {
  const options = Object.fromEntries(allowed.map((name) => [name, OPTIONS[name]]));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(usageMessage(err));
  }
  const flags: ParsedArgs['flags'] = new Map();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value !== undefined && value !== false)
      flags.set(`--${name as CliOption}`, value === true ? true : String(value));
  }
  return { positional: parsed.positionals, flags };
}

/** node:util's messages explain its own syntax; say what the person typed wrong instead. */
function usageMessage(err: unknown): string {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return /argument missing|ambiguous/.test(message)
      ? `${option} needs a value`
      : `${option} takes no value`;
  }
  return message;
}
