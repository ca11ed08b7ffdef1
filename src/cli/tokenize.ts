/**
 * virsh's command-string lexer (vshCommandStringGetArg): words split on blanks, `;` or a newline ends a command,
 * `#` at the start of a word comments out the rest of the line, single quotes are literal, double quotes allow
 * backslash escapes, a backslash outside single quotes escapes the next character and backslash-newline vanishes.
 */

/** One lexical unit of a command string. */
export type Token = { kind: 'arg'; text: string } | { kind: 'end-command' };

/** A lexing failure, worded as virsh words it (`dangling \`, `missing "`). */
export class TokenizeError extends Error {
  override readonly name = 'TokenizeError';
}

/** A pull lexer over one command string, so parse errors stop at the same point virsh's do. */
export class CommandLexer {
  #pos = 0;

  constructor(private readonly text: string) {}

  /**
   * The next token, or undefined at the end of the string. Throws {@link TokenizeError}. Inside a command that is
   * a comment (`inComment`), an unclosed double quote silently swallows the rest of the string, as in virsh.
   */
  next(inComment = false): Token | undefined {
    const s = this.text;
    let p = this.#pos;
    while (p < s.length && (s[p] === ' ' || s[p] === '\t' || (s[p] === '\\' && s[p + 1] === '\n'))) {
      p += s[p] === '\\' ? 2 : 1;
    }
    if (p >= s.length) {
      this.#pos = p;
      return undefined;
    }
    if (s[p] === ';' || s[p] === '\n') {
      this.#pos = p + 1;
      return { kind: 'end-command' };
    }
    if (s[p] === '#') {
      while (p < s.length && s[p] !== '\n') p++;
      this.#pos = p < s.length ? p + 1 : p;
      return { kind: 'end-command' };
    }
    let single = false;
    let double = false;
    let out = '';
    while (p < s.length) {
      const c = s[p]!;
      if (!single && !double && (c === ' ' || c === '\t' || c === ';' || c === '\n')) break;
      if (!double && c === "'") {
        single = !single;
        p++;
        continue;
      }
      if (!single && c === '\\') {
        p++;
        if (p >= s.length) throw new TokenizeError('dangling \\');
        if (s[p] === '\n') {
          p++;
          continue;
        }
      } else if (!single && c === '"') {
        double = !double;
        p++;
        continue;
      }
      out += s[p]!;
      p++;
    }
    if (double) {
      if (!inComment) throw new TokenizeError('missing "');
      this.#pos = s.length;
      return undefined;
    }
    this.#pos = p;
    return { kind: 'arg', text: out };
  }
}

/** A source of tokens: a command string through {@link CommandLexer}, or argv words taken literally. */
export interface TokenSource {
  next(inComment?: boolean): Token | undefined;
}

/** argv after the global options, when it holds more than one word: every word is an argument, `;` included. */
export class ArgvTokens implements TokenSource {
  #i = 0;
  constructor(private readonly words: readonly string[]) {}
  next(): Token | undefined {
    const w = this.words[this.#i++];
    return w === undefined ? undefined : { kind: 'arg', text: w };
  }
}
