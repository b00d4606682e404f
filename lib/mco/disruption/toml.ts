// A small TOML reader for the subset containers-registries.conf(5) files use: comments, [tables], [[arrays of
// tables]] (also nested, as [[registry.mirror]]), bare/quoted/dotted keys, strings of the four kinds, integers,
// floats, booleans, arrays and inline tables. Dates and times are refused. Pure, no dependencies.
import { McoError } from '../types';

export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

class Reader {
  pos = 0;
  constructor(readonly src: string) {}

  fail(msg: string): never {
    const line = this.src.slice(0, this.pos).split('\n').length;
    throw new McoError(`toml: line ${line}: ${msg}`);
  }
  peek(n = 0): string {
    return this.src[this.pos + n] ?? '';
  }
  startsWith(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }
  /** Spaces and tabs only. */
  skipWs(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }
  skipComment(): void {
    if (this.peek() === '#') while (this.pos < this.src.length && this.peek() !== '\n') this.pos++;
  }
  /** Whitespace, newlines and comments (inside arrays). */
  skipAll(): void {
    for (;;) {
      this.skipWs();
      this.skipComment();
      if (this.peek() === '\n' || this.peek() === '\r') this.pos++;
      else return;
    }
  }
  /** After a key/value or header: only a comment may follow on the line. */
  endOfLine(): void {
    this.skipWs();
    this.skipComment();
    if (this.peek() === '\r') this.pos++;
    if (this.pos < this.src.length && this.peek() !== '\n')
      this.fail(`expected the end of the line, found ${JSON.stringify(this.peek())}`);
    this.pos++;
  }

  key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipWs();
      const c = this.peek();
      if (c === '"') parts.push(this.basicString());
      else if (c === "'") parts.push(this.literalString());
      else {
        const m = /^[A-Za-z0-9_-]+/.exec(this.src.slice(this.pos));
        if (!m) this.fail(`expected a key, found ${JSON.stringify(c)}`);
        parts.push(m[0]);
        this.pos += m[0].length;
      }
      this.skipWs();
      if (this.peek() !== '.') return parts;
      this.pos++;
    }
  }

  basicString(): string {
    if (this.startsWith('"""')) return this.multilineBasic();
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === '' || c === '\n') this.fail('unterminated string');
      this.pos++;
      if (c === '"') return out;
      out += c === '\\' ? this.escape() : c;
    }
  }
  escape(): string {
    const c = this.peek();
    this.pos++;
    const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
    if (c in simple) return simple[c];
    if (c === 'u' || c === 'U') {
      const n = c === 'u' ? 4 : 8;
      const hex = this.src.slice(this.pos, this.pos + n);
      if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== n) this.fail(`invalid escape \\${c}${hex}`);
      this.pos += n;
      return String.fromCodePoint(parseInt(hex, 16));
    }
    this.fail(`invalid escape \\${c}`);
  }
  multilineBasic(): string {
    this.pos += 3;
    if (this.peek() === '\n') this.pos++;
    else if (this.startsWith('\r\n')) this.pos += 2;
    let out = '';
    for (;;) {
      if (this.pos >= this.src.length) this.fail('unterminated multi-line string');
      if (this.startsWith('"""')) {
        // Up to two quotes may sit right before the closing delimiter.
        let extra = 0;
        while (extra < 2 && this.src[this.pos + 3 + extra] === '"') extra++;
        this.pos += 3 + extra;
        return out + '"'.repeat(extra);
      }
      const c = this.peek();
      this.pos++;
      if (c !== '\\') {
        out += c;
        continue;
      }
      if (/^[ \t]*\r?\n/.test(this.src.slice(this.pos))) {
        // A line-ending backslash trims the newline and the whitespace after it.
        while (/[ \t\r\n]/.test(this.peek())) this.pos++;
        continue;
      }
      out += this.escape();
    }
  }
  literalString(): string {
    if (this.startsWith("'''")) {
      this.pos += 3;
      if (this.peek() === '\n') this.pos++;
      const end = this.src.indexOf("'''", this.pos);
      if (end < 0) this.fail('unterminated multi-line literal string');
      let stop = end;
      while (this.src[stop + 3] === "'" && stop - end < 2) stop++;
      const s = this.src.slice(this.pos, stop);
      this.pos = stop + 3;
      return s;
    }
    this.pos++;
    const end = this.src.indexOf("'", this.pos);
    const nl = this.src.indexOf('\n', this.pos);
    if (end < 0 || (nl >= 0 && nl < end)) this.fail('unterminated literal string');
    const s = this.src.slice(this.pos, end);
    this.pos = end + 1;
    return s;
  }

  value(): TomlValue {
    this.skipWs();
    const c = this.peek();
    if (c === '"') return this.basicString();
    if (c === "'") return this.literalString();
    if (c === '[') return this.array();
    if (c === '{') return this.inlineTable();
    const m = /^[^\s,\]}#]+/.exec(this.src.slice(this.pos));
    if (!m) this.fail(`expected a value, found ${JSON.stringify(c)}`);
    const tok = m[0];
    this.pos += tok.length;
    if (tok === 'true') return true;
    if (tok === 'false') return false;
    if (/^[+-]?(0|[1-9](_?\d)*)$/.test(tok)) return Number(tok.replace(/_/g, ''));
    if (/^0x[0-9A-Fa-f](_?[0-9A-Fa-f])*$/.test(tok)) return parseInt(tok.slice(2).replace(/_/g, ''), 16);
    if (/^0o[0-7](_?[0-7])*$/.test(tok)) return parseInt(tok.slice(2).replace(/_/g, ''), 8);
    if (/^0b[01](_?[01])*$/.test(tok)) return parseInt(tok.slice(2).replace(/_/g, ''), 2);
    if (/^[+-]?(inf|nan)$/.test(tok)) return tok.endsWith('nan') ? NaN : tok.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?(0|[1-9](_?\d)*)(\.\d(_?\d)*)?([eE][+-]?\d(_?\d)*)?$/.test(tok)) return Number(tok.replace(/_/g, ''));
    if (/^\d{4}-\d{2}-\d{2}|^\d{2}:\d{2}/.test(tok)) this.fail(`dates and times are not supported: ${tok}`);
    this.fail(`invalid value ${JSON.stringify(tok)}`);
  }
  array(): TomlValue[] {
    this.pos++;
    const out: TomlValue[] = [];
    for (;;) {
      this.skipAll();
      if (this.peek() === ']') {
        this.pos++;
        return out;
      }
      out.push(this.value());
      this.skipAll();
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== ']') this.fail(`expected "," or "]" in an array, found ${JSON.stringify(this.peek())}`);
    }
  }
  inlineTable(): TomlTable {
    this.pos++;
    const t: TomlTable = {};
    this.skipWs();
    if (this.peek() === '}') {
      this.pos++;
      return t;
    }
    for (;;) {
      const k = this.key();
      if (this.peek() !== '=') this.fail('expected "=" after a key');
      this.pos++;
      assign(this, t, k, this.value());
      this.skipWs();
      if (this.peek() === '}') {
        this.pos++;
        return t;
      }
      if (this.peek() !== ',') this.fail('expected "," or "}" in an inline table');
      this.pos++;
    }
  }
}

const isTable = (v: TomlValue | undefined): v is TomlTable => typeof v === 'object' && v !== null && !Array.isArray(v);

function assign(r: Reader, table: TomlTable, keys: string[], value: TomlValue): void {
  let t = table;
  for (const k of keys.slice(0, -1)) {
    const next = t[k];
    if (next === undefined) t = t[k] = {};
    else if (isTable(next)) t = next;
    else r.fail(`key ${keys.join('.')} conflicts with an existing value`);
  }
  const last = keys[keys.length - 1];
  if (Object.prototype.hasOwnProperty.call(t, last)) r.fail(`key ${keys.join('.')} is defined twice`);
  t[last] = value;
}

/** Walks a header path; an array of tables along the way means its last element. */
function descend(r: Reader, root: TomlTable, keys: string[]): TomlTable {
  let t = root;
  for (const k of keys) {
    const next = t[k];
    if (next === undefined) t = t[k] = {};
    else if (isTable(next)) t = next;
    else if (Array.isArray(next) && isTable(next[next.length - 1])) t = next[next.length - 1] as TomlTable;
    else r.fail(`key ${keys.join('.')} is not a table`);
  }
  return t;
}

/** Parses TOML text into plain objects. Throws McoError `toml: line N: …` on anything outside the subset. */
export function parseToml(text: string): TomlTable {
  const r = new Reader(text.replace(/^\uFEFF/, ''));
  const root: TomlTable = {};
  let current = root;
  while (r.pos < r.src.length) {
    r.skipWs();
    const c = r.peek();
    if (c === '#' || c === '\n' || c === '\r' || c === '') {
      r.skipComment();
      if (r.pos < r.src.length) r.endOfLine();
      continue;
    }
    if (c === '[') {
      const arrayOfTables = r.peek(1) === '[';
      r.pos += arrayOfTables ? 2 : 1;
      const keys = r.key();
      if (!r.startsWith(arrayOfTables ? ']]' : ']')) r.fail('unterminated table header');
      r.pos += arrayOfTables ? 2 : 1;
      if (arrayOfTables) {
        const parent = descend(r, root, keys.slice(0, -1));
        const last = keys[keys.length - 1];
        const list = parent[last];
        if (list === undefined) parent[last] = [];
        else if (!Array.isArray(list)) r.fail(`key ${keys.join('.')} is not an array of tables`);
        const t: TomlTable = {};
        (parent[last] as TomlValue[]).push(t);
        current = t;
      } else {
        current = descend(r, root, keys);
      }
      r.endOfLine();
      continue;
    }
    const keys = r.key();
    if (r.peek() !== '=') r.fail('expected "=" after a key');
    r.pos++;
    assign(r, current, keys, r.value());
    r.endOfLine();
  }
  return root;
}
