// ghodss/yaml.Marshal of JSON data: gopkg.in/yaml.v2 output (block style, sorted keys, 80-column folding of
// plain and quoted scalars, literal blocks for multi-line strings). The rendered-config name is an md5 of this
// text, so it has to match yaml.v2 byte for byte (render/hash.go). Written from yaml.v2's emitter rules.

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

// ---------------------------------------------------------------------------------------------------------------
// Key order: yaml.v2 sorted.go keyList.Less (letters compare as runes, digit runs compare numerically).

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';

export function goYamlKeyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + (ar[ai].charCodeAt(0) - 48);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + (br[bi].charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
  }
  return ar.length < br.length;
}

// ---------------------------------------------------------------------------------------------------------------
// Would a plain scalar resolve to something other than a string? (yaml.v2 resolve.go)

const RESOLVE_MAP = new Set([
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'true',
  'True',
  'TRUE',
  'on',
  'On',
  'ON',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'false',
  'False',
  'FALSE',
  'off',
  'Off',
  'OFF',
  '',
  '~',
  'null',
  'Null',
  'NULL',
  '.nan',
  '.NaN',
  '.NAN',
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '+.Inf',
  '+.INF',
  '-.inf',
  '-.Inf',
  '-.INF',
]);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** Go strconv.ParseInt/ParseUint with base 0 (prefixes 0x 0o 0b, leading 0 = octal, underscores allowed). */
function goParsesAsInt(s: string): boolean {
  let t = s;
  if (t.startsWith('+') || t.startsWith('-')) t = t.slice(1);
  if (t === '') return false;
  let digits: RegExp;
  let body = t;
  if (/^0[xX]/.test(t)) {
    digits = /^[0-9a-fA-F]+$/;
    body = t.slice(2);
  } else if (/^0[oO]/.test(t)) {
    digits = /^[0-7]+$/;
    body = t.slice(2);
  } else if (/^0[bB]/.test(t)) {
    digits = /^[01]+$/;
    body = t.slice(2);
  } else if (t.length > 1 && t[0] === '0') {
    digits = /^[0-7]+$/;
    body = t.slice(1);
  } else {
    digits = /^[0-9]+$/;
  }
  if (body === '' || !digits.test(body)) return false;
  // Range: int64 or uint64.
  const radix = /^0[xX]/.test(t) ? '0x' : /^0[bB]/.test(t) ? '0b' : digits.source === '^[0-7]+$' ? '0o' : '';
  const magnitude = BigInt(radix + body);
  const v = s.startsWith('-') ? -magnitude : magnitude;
  return v >= -(2n ** 63n) && v < 2n ** 64n;
}

/** yaml.v2 parseTimestamp: Go time.Parse with its four layouts, tried only after 4 digits and a '-'. */
function looksLikeTimestamp(s: string): boolean {
  let i = 0;
  while (i < s.length && isDigit(s[i])) i++;
  if (i !== 4 || i === s.length || s[i] !== '-') return false;
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s) ??
    /^(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/.exec(s) ??
    /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return false;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59)) return false;
  return true;
}

function resolvesToString(s: string): boolean {
  if (s === '') return false;
  const c = s[0];
  const hintM = 'yYnNtTfFoO~'.includes(c);
  const hintD = isDigit(c) || c === '+' || c === '-';
  const hintDot = c === '.';
  if (!hintM && !hintD && !hintDot) return true;
  if (RESOLVE_MAP.has(s)) return false;
  if (hintDot) return !YAML_FLOAT.test(s);
  if (hintD) {
    if (looksLikeTimestamp(s)) return false;
    const plain = s.replaceAll('_', '');
    if (goParsesAsInt(plain)) return false;
    if (YAML_FLOAT.test(plain)) return false;
    return true;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Scalar analysis (yaml_emitter_analyze_scalar) over Unicode code points.

const isBreakCp = (cp: number) => cp === 0x0a || cp === 0x0d || cp === 0x85 || cp === 0x2028 || cp === 0x2029;
const isPrintableCp = (cp: number) =>
  cp === 0x0a ||
  (cp >= 0x20 && cp <= 0x7e) ||
  (cp >= 0xa0 && cp <= 0xd7ff) ||
  (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);

interface Analysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

function analyze(cps: number[]): Analysis {
  if (cps.length === 0) {
    return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  let blockIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  const ch = (i: number) => String.fromCodePoint(cps[i]);
  if (
    cps.length >= 3 &&
    ((ch(0) === '-' && ch(1) === '-' && ch(2) === '-') || (ch(0) === '.' && ch(1) === '.' && ch(2) === '.'))
  ) {
    blockIndicators = true;
  }
  let precededByWhitespace = true;
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i];
    const c = ch(i);
    const next = cps[i + 1];
    const followedByWhitespace = i + 1 >= cps.length || next === 0x20 || next === 0x09;
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      else if ((c === '?' || c === ':') && followedByWhitespace) blockIndicators = true;
      else if (c === '-' && followedByWhitespace) blockIndicators = true;
    } else {
      if (c === ':' && followedByWhitespace) blockIndicators = true;
      else if (c === '#' && precededByWhitespace) blockIndicators = true;
    }
    if (!isPrintableCp(cp)) special = true;
    if (cp === 0x20) {
      if (i === 0) leadingSpace = true;
      if (i === cps.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreakCp(cp)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === cps.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = cp === 0x20 || cp === 0x09 || isBreakCp(cp) || cp === 0;
  }
  const a: Analysis = { multiline: lineBreaks, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.blockPlainAllowed = false;
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) {
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || special) {
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
    a.blockAllowed = false;
  }
  if (lineBreaks) a.blockPlainAllowed = false;
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}

// ---------------------------------------------------------------------------------------------------------------
// The emitter: only what ghodss output needs (block collections, flow only for empty ones, no anchors or tags).

class Emitter {
  out: string[] = [];
  column = 0;
  whitespace = true;
  indention = true;
  indent = -1;

  put(s: string): void {
    this.out.push(s);
    this.column += 1;
  }
  putBreak(): void {
    this.out.push('\n');
    this.column = 0;
  }
  writeIndicator(ind: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.out.push(ind);
    this.column += Array.from(ind).length;
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }
  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }
  writeCp(cp: number): void {
    this.out.push(String.fromCodePoint(cp));
    this.column += 1;
  }

  plain(cps: number[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    let spaces = false;
    for (let i = 0; i < cps.length; i++) {
      const cp = cps[i];
      if (cp === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && cps[i + 1] !== 0x20) this.writeIndent();
        else this.writeCp(cp);
        spaces = true;
      } else {
        this.writeCp(cp);
        this.indention = false;
        spaces = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  singleQuoted(cps: number[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < cps.length; i++) {
      const cp = cps[i];
      if (cp === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < cps.length - 1 && cps[i + 1] !== 0x20) {
          this.writeIndent();
        } else {
          this.writeCp(cp);
        }
        spaces = true;
      } else if (isBreakCp(cp)) {
        if (!breaks && cp === 0x0a) this.putBreak();
        this.writeBreak(cp);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (cp === 0x27) this.put("'");
        this.writeCp(cp);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  /** write_break: LF is a newline; other breaks are written as themselves and reset the column. */
  writeBreak(cp: number): void {
    if (cp === 0x0a) this.putBreak();
    else {
      this.out.push(String.fromCodePoint(cp));
      this.column = 0;
    }
  }

  doubleQuoted(cps: number[], allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    let spaces = false;
    // yaml.v2's is_bom looks at the first bytes of the value, not the current ones: a value that starts with a
    // BOM has every character escaped.
    const bom = cps[0] === 0xfeff;
    for (let i = 0; i < cps.length; i++) {
      const cp = cps[i];
      if (bom || !isPrintableCp(cp) || isBreakCp(cp) || cp === 0x22 || cp === 0x5c) {
        this.put('\\');
        const simple: Record<number, string> = {
          0x00: '0',
          0x07: 'a',
          0x08: 'b',
          0x09: 't',
          0x0a: 'n',
          0x0b: 'v',
          0x0c: 'f',
          0x0d: 'r',
          0x1b: 'e',
          0x22: '"',
          0x5c: '\\',
          0x85: 'N',
          0xa0: '_',
          0x2028: 'L',
          0x2029: 'P',
        };
        if (simple[cp] !== undefined) {
          this.put(simple[cp]);
        } else {
          const [letter, width] = cp <= 0xff ? ['x', 2] : cp <= 0xffff ? ['u', 4] : ['U', 8];
          this.put(letter);
          for (const d of cp.toString(16).toUpperCase().padStart(width, '0')) this.put(d);
        }
        spaces = false;
      } else if (cp === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < cps.length - 1) {
          this.writeIndent();
          if (cps[i + 1] === 0x20) this.put('\\');
        } else {
          this.writeCp(cp);
        }
        spaces = true;
      } else {
        this.writeCp(cp);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  literal(cps: number[]): void {
    this.writeIndicator('|', true, false, false);
    // Block scalar hints: indentation indicator for a leading space/break, chomping for the ending.
    if (cps.length > 0 && (cps[0] === 0x20 || isBreakCp(cps[0])))
      this.writeIndicator(String(BEST_INDENT), false, false, false);
    let chomp = '';
    if (cps.length === 0) chomp = '-';
    else if (!isBreakCp(cps[cps.length - 1])) chomp = '-';
    else if (cps.length === 1) chomp = '+';
    else if (isBreakCp(cps[cps.length - 2])) chomp = '+';
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (let i = 0; i < cps.length; i++) {
      const cp = cps[i];
      if (isBreakCp(cp)) {
        this.writeBreak(cp);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) {
          this.writeIndent();
          breaks = false;
        }
        this.writeCp(cp);
        this.indention = false;
      }
    }
  }

  /** A scalar value; `simpleKey` when it is a mapping key. */
  scalar(text: string, quoteAlways: boolean, simpleKey: boolean): void {
    const cps = Array.from(text, (c) => c.codePointAt(0)!);
    const a = analyze(cps);
    let style: 'plain' | 'single' | 'double' | 'literal';
    if (text.includes('\n')) style = 'literal';
    else if (quoteAlways) style = 'double';
    else style = 'plain';
    if (style === 'plain') {
      if (!a.blockPlainAllowed) style = 'single';
      if (cps.length === 0 && simpleKey) style = 'single';
    }
    if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
    if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
    const saved = this.indent;
    // increase_indent(flow=true): continuation lines sit one step deeper.
    this.indent = this.indent < 0 ? BEST_INDENT : this.indent + BEST_INDENT;
    switch (style) {
      case 'plain':
        this.plain(cps, !simpleKey);
        break;
      case 'single':
        this.singleQuoted(cps, !simpleKey);
        break;
      case 'double':
        this.doubleQuoted(cps, !simpleKey);
        break;
      case 'literal':
        this.literal(cps);
        break;
    }
    this.indent = saved;
  }

  value(v: unknown, ctx: 'root' | 'mappingValue' | 'sequenceItem'): void {
    if (Array.isArray(v)) return this.sequence(v, ctx);
    if (v !== null && typeof v === 'object') return this.mapping(v as Record<string, unknown>, ctx);
    if (v === null || v === undefined) return this.scalar('null', false, false);
    if (typeof v === 'boolean') return this.scalar(v ? 'true' : 'false', false, false);
    if (typeof v === 'number') return this.scalar(goNumber(v), false, false);
    const s = String(v);
    this.scalar(s, !resolvesToString(s) || BASE60_FLOAT.test(s), false);
  }

  mapping(m: Record<string, unknown>, ctx: 'root' | 'mappingValue' | 'sequenceItem'): void {
    const keys = Object.keys(m)
      .filter((k) => m[k] !== undefined)
      .sort((a, b) => (goYamlKeyLess(a, b) ? -1 : goYamlKeyLess(b, a) ? 1 : 0));
    if (keys.length === 0) {
      this.writeIndicator('{', true, true, false);
      this.writeIndicator('}', false, false, false);
      return;
    }
    void ctx;
    const saved = this.indent;
    this.indent = this.indent < 0 ? 0 : this.indent + BEST_INDENT;
    for (const k of keys) {
      this.writeIndent();
      const quote = !resolvesToString(k) || BASE60_FLOAT.test(k);
      // yaml_emitter_check_simple_key: a key on one line of at most 128 bytes; otherwise the `? key` form.
      const multiline = Array.from(k, (c) => c.codePointAt(0)!).some(isBreakCp);
      if (!multiline && utf8Length(k) <= 128) {
        this.scalar(k, quote, true);
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.scalar(k, quote, false);
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.value(m[k], 'mappingValue');
    }
    this.indent = saved;
  }

  sequence(items: unknown[], ctx: 'root' | 'mappingValue' | 'sequenceItem'): void {
    if (items.length === 0) {
      this.writeIndicator('[', true, true, false);
      this.writeIndicator(']', false, false, false);
      return;
    }
    const saved = this.indent;
    // A block sequence that is a mapping value is "indentless" (yaml.v2 writes `key:\n- item`).
    const indentless = ctx === 'mappingValue' && !this.indention;
    if (this.indent < 0) this.indent = 0;
    else if (!indentless) this.indent += BEST_INDENT;
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.value(item, 'sequenceItem');
    }
    this.indent = saved;
  }
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** Go's formatting of a number that came from JSON: integers in decimal, other floats as strconv 'g' -1. */
function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? '.nan' : n > 0 ? '+.inf' : '-.inf';
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) {
    const [mant, e] = n.toExponential().split('e');
    const ev = Number(e);
    return `${mant}e${ev < 0 ? '-' : '+'}${String(Math.abs(ev)).padStart(2, '0')}`;
  }
  return String(n);
}

/** ghodss/yaml.Marshal of a JSON value (objects, arrays, strings, numbers, booleans, null). */
export function goYamlMarshal(value: unknown): string {
  const e = new Emitter();
  e.value(value, 'root');
  // The document ends with a line break (yaml_emitter_emit_document_end → write_indent).
  if (e.column !== 0 || e.out.length === 0) e.putBreak();
  return e.out.join('');
}
