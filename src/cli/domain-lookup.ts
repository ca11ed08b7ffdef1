import type { Domain } from '../connection/domain.js';
import type { CommandContext } from './context.js';
import { optString } from './options.js';
import type { ParsedCommand } from './parse.js';

const UUID_STRING_LENGTH = 36;

/** C's strtol accepting the whole string as a base-10 int (virStrToLong_i without an end pointer). */
function wholeInt(text: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : undefined;
}

/**
 * virsh's virshLookupDomainBy: the word is tried as an id, then as a UUID, then as a name; if none matches,
 * `failed to get domain 'X'` and the library's own error is dropped.
 */
export async function lookupDomain(
  ctl: CommandContext,
  word: string,
  ways: { byId?: boolean } = {},
): Promise<Domain | undefined> {
  const conn = ctl.conn;
  const id = ways.byId === false ? undefined : wholeInt(word);
  const attempts: Array<() => Promise<Domain>> = [];
  if (id !== undefined && id >= 0) attempts.push(() => conn.lookupDomainByID(id));
  if (word.length === UUID_STRING_LENGTH) attempts.push(() => conn.lookupDomainByUUID(word));
  attempts.push(() => conn.lookupDomainByName(word));
  for (const attempt of attempts) {
    try {
      return await attempt();
    } catch {
      // the next way of naming it may match
    }
  }
  ctl.error(`failed to get domain '${word}'`);
  return undefined;
}

/** virsh's virshCommandOptDomain: the domain named by the command's `domain` option. */
export async function domainOption(ctl: CommandContext, cmd: ParsedCommand): Promise<Domain | undefined> {
  return (await domainOptionWithWord(ctl, cmd))?.dom;
}

/** Like {@link domainOption}, with the word the user typed, which virsh echoes in its messages. */
export async function domainOptionWithWord(
  ctl: CommandContext,
  cmd: ParsedCommand,
): Promise<{ dom: Domain; word: string } | undefined> {
  const word = optString(ctl, cmd, 'domain');
  if (word === null || word === undefined) return undefined;
  const dom = await lookupDomain(ctl, word);
  return dom && { dom, word };
}
