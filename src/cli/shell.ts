import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CommandContext } from './context.js';
import { runBatch } from './run.js';
import { CommandLexer } from './tokenize.js';

const HISTORY_SIZE = 500;

/** Where the shell keeps its history: $XDG_CACHE_HOME/virtune/history, as virsh keeps its own. */
export function historyFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'virtune', 'history');
}

function loadHistory(file: string): string[] {
  try {
    // readline wants the newest entry first.
    return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').reverse().slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

function saveHistory(file: string, history: readonly string[]): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, [...history].reverse().join('\n') + '\n');
  } catch {
    // history is a convenience; a read-only home must not break the shell
  }
}

/**
 * The interactive shell: virsh's banner and prompt (`virtune # `, `virtune > ` when read-only), line editing and
 * history through node:readline, every line run as a batch. It ends at `quit`, `exit` or end of input.
 */
export async function runShell(ctl: CommandContext, input: NodeJS.ReadableStream): Promise<number> {
  const terminal = (input as { isTTY?: boolean }).isTTY === true && (ctl.stdout as { isTTY?: boolean }).isTTY === true;
  const file = historyFile();
  const rl = createInterface({
    input,
    output: ctl.stdout as NodeJS.WritableStream,
    terminal,
    historySize: HISTORY_SIZE,
    ...(terminal ? { history: loadHistory(file) } : {}),
  });
  ctl.printExtra(
    "Welcome to virtune, the virtualization interactive terminal.\n\nType:  'help' for help with commands\n       'quit' to quit\n\n",
  );
  // Ctrl-C abandons the line being typed, as in virsh, instead of leaving the shell.
  rl.on('SIGINT', () => {
    rl.write(null, { ctrl: true, name: 'u' });
    ctl.print('\n');
    rl.prompt();
  });
  const lines = rl[Symbol.asyncIterator]();
  try {
    for (;;) {
      // `connect` may have changed whether the connection is read-only.
      rl.setPrompt(ctl.options.readOnly ? 'virtune > ' : 'virtune # ');
      rl.prompt();
      const next = await lines.next();
      // virsh ends its shell with a line break whether input ended or `quit` ran (it tests the freed line).
      if (next.done) {
        ctl.print('\n');
        break;
      }
      const line = next.value as string;
      // Without a terminal nothing echoes what was typed; print it so a transcript reads like virsh's.
      if (!terminal) ctl.print(`${line}\n`);
      if (line.trim() === '') continue;
      await runBatch(ctl, new CommandLexer(line));
      if (ctl.quitRequested) {
        ctl.print('\n');
        break;
      }
    }
  } finally {
    if (terminal) saveHistory(file, (rl as unknown as { history: string[] }).history);
    rl.close();
  }
  return 0;
}
