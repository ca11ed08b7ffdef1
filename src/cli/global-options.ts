/**
 * virsh's global options (getopt_long with "+:c:d:e:hk:K:l:qrtvV"): options stop at the first word that is not
 * one, short options may be bundled (`-qc URI`), long ones may be abbreviated and take `=value`.
 */

/** What the global options asked for. */
export interface GlobalOptions {
  uri?: string;
  quiet: boolean;
  readOnly: boolean;
  /** `-t`: print how long each command took. */
  timing: boolean;
  /** `-h`: print usage and stop. */
  help: boolean;
  /** `-v`/`-V`/`--version[=short|long]`: print the version and stop. */
  version?: 'short' | 'long';
  /** The words after the options: one command string, or one command's words. */
  rest: string[];
  /** Lines virsh prints as errors without stopping (`ignoring debug level 9 out of range [0-4]`). */
  warnings: string[];
}

/** A global option virsh knows but virtune ignores (they concern its daemon client and logging). */
const IGNORED_WITH_ARG = new Set(['l']);

/** C's strtol over the whole string (virStrToLong_i without an end pointer). */
function wholeInt(text: string): number | undefined {
  return /^[ \t\n\v\f\r]*[+-]?\d+$/.test(text) && Math.abs(Number(text)) < 2 ** 31 ? Number(text) : undefined;
}

/** virsh's vshAllowedEscapeChar: `^` may precede a-z or one of @A-Z[\]^_. */
const isEscapeChar = (c: string): boolean => /^[a-z@-_]$/.test(c);

const LONG: ReadonlyArray<readonly [name: string, short: string, arg: 'none' | 'required' | 'optional']> = [
  ['connect', 'c', 'required'],
  ['debug', 'd', 'required'],
  ['escape', 'e', 'required'],
  ['help', 'h', 'none'],
  ['keepalive-interval', 'k', 'required'],
  ['keepalive-count', 'K', 'required'],
  ['log', 'l', 'required'],
  ['quiet', 'q', 'none'],
  ['readonly', 'r', 'none'],
  ['timing', 't', 'none'],
  ['version', 'V', 'optional'],
];

const SHORT_WITH_ARG = new Set(['c', 'd', 'e', 'k', 'K', 'l']);
const SHORT_FLAGS = new Set(['h', 'q', 'r', 't', 'v', 'V']);

/** A usage error, worded as virsh words it; the caller prints `error: ` before it and exits 1. */
export class GlobalOptionError extends Error {
  override readonly name = 'GlobalOptionError';
}

function longName(short: string): string | undefined {
  return LONG.find(([, s]) => s === short)?.[0];
}

function apply(out: GlobalOptions, short: string, value: string | undefined): void {
  switch (short) {
    case 'c':
      out.uri = value;
      break;
    case 'q':
      out.quiet = true;
      break;
    case 'r':
      out.readOnly = true;
      break;
    case 'h':
      out.help = true;
      break;
    case 't':
      out.timing = true;
      break;
    // Checked as virsh checks them, then ignored: virtune has no console, debug log or keepalive.
    case 'e': {
      const v = value ?? '';
      if (!((v.length === 2 && v[0] === '^' && isEscapeChar(v[1]!)) || (v.length === 1 && v !== '^'))) {
        throw new GlobalOptionError(`Invalid string '${v}' for escape sequence`);
      }
      break;
    }
    case 'd': {
      const n = wholeInt(value ?? '');
      if (n === undefined) throw new GlobalOptionError('option -d takes a numeric argument');
      if (n < 0 || n > 4) out.warnings.push(`ignoring debug level ${n} out of range [0-4]`);
      break;
    }
    case 'k':
    case 'K': {
      const n = wholeInt(value ?? '');
      if (n === undefined) throw new GlobalOptionError(`Invalid value for option -${short}`);
      if (n < 0) throw new GlobalOptionError(`option -${short} requires a positive integer argument`);
      break;
    }
    case 'v':
      out.version = 'short';
      break;
    case 'V':
      out.version = 'long';
      break;
    default:
      if (!IGNORED_WITH_ARG.has(short)) throw new GlobalOptionError(`unsupported option '-${short}'. See --help.`);
  }
}

/** Parses virsh's global options from `argv` (without node and the script). */
export function parseGlobalOptions(argv: readonly string[]): GlobalOptions {
  const out: GlobalOptions = { quiet: false, readOnly: false, timing: false, help: false, rest: [], warnings: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') {
      i++;
      break;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
      const inline = eq < 0 ? undefined : word.slice(eq + 1);
      const exact = LONG.find(([n]) => n === name);
      const prefixed = LONG.filter(([n]) => n.startsWith(name));
      const match = exact ?? (prefixed.length === 1 ? prefixed[0] : undefined);
      if (!match) throw new GlobalOptionError(`unsupported option '${word}'. See --help.`);
      const [long, short, arg] = match;
      if (long === 'version') {
        out.version = inline === 'long' ? 'long' : 'short';
        break;
      }
      let value = inline;
      // getopt reports a value given to a flag by the flag's short name.
      if (arg === 'none' && inline !== undefined) throw new GlobalOptionError(`unsupported option '-${short}'. See --help.`);
      if (arg === 'required' && value === undefined) {
        value = argv[++i];
        if (value === undefined) throw new GlobalOptionError(`option '-${short}'/'--${long}' requires an argument`);
      }
      apply(out, short, value);
      if (out.help) break;
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      for (let j = 1; j < word.length; j++) {
        const c = word[j]!;
        if (SHORT_WITH_ARG.has(c)) {
          let value: string | undefined = word.slice(j + 1);
          if (value === '') value = argv[++i];
          if (value === undefined) throw new GlobalOptionError(`option '-${c}'/'--${longName(c)}' requires an argument`);
          apply(out, c, value);
          break;
        }
        if (!SHORT_FLAGS.has(c)) throw new GlobalOptionError(`unsupported option '-${c}'. See --help.`);
        apply(out, c, undefined);
        if (out.help || out.version !== undefined) break;
      }
      if (out.help || out.version !== undefined) break;
      continue;
    }
    break;
  }
  // virsh acts on -h and -v/-V/--version as getopt meets them: what follows is never read.
  if (out.help || out.version !== undefined) {
    out.rest = [];
    return out;
  }
  out.rest = argv.slice(i);
  return out;
}
