import type { CommandHandler } from '../command-def.js';
import { exclusive } from '../options.js';

/** Characters that make virsh's --shell quote a word (libvirt's virBufferEscapeShell). */
const SHELL_SPECIAL = /["'$`\\!#^&*()[\]{}|;<>? \t\n\r~]/;

/** virBufferEscapeShell: single quotes around the word, a quote inside written as '\''. */
export function escapeShell(word: string): string {
  if (word === '') return "''";
  if (!SHELL_SPECIAL.test(word)) return word;
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** virBufferEscapeString for XML text. */
export function escapeXML(word: string): string {
  return word.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** virsh's vshStringToArray: split on ',', with ',,' standing for a literal comma. */
export function splitCommas(word: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < word.length; i++) {
    if (word[i] === ',') {
      if (word[i + 1] === ',') {
        cur += ',';
        i++;
      } else {
        out.push(cur);
        cur = '';
      }
    } else {
      cur += word[i];
    }
  }
  out.push(cur);
  return out;
}

/**
 * `echo [--shell|--xml|--split] [--err] [WORD]...`: prints its words, as virsh's test helper does. Like virsh,
 * it adds no newline of its own (the runner's separator line supplies one unless -q); with --split every piece is
 * followed by a newline.
 */
export const run: CommandHandler = async (ctl, cmd) => {
  for (const [a, b] of [['shell', 'xml'], ['shell', 'split'], ['xml', 'split']] as const) {
    if (!exclusive(ctl, cmd, a, b)) return false;
  }
  const render = (word: string): string => {
    if (cmd.has('split')) return splitCommas(word).map((piece) => `${piece}\n`).join('');
    if (cmd.has('xml')) return escapeXML(word);
    if (cmd.has('shell')) return escapeShell(word);
    return word;
  };
  const words = cmd.argv();
  if (words.length === 0) return true;
  const text = words.map(render).join(' ');
  if (cmd.has('err')) ctl.error(text);
  else ctl.print(text);
  return true;
};
