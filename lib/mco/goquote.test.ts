// goQuote against strings Go's strconv.Quote was run on (go1.19, whose Unicode 13 tables agree with 15.0 for every
// character here), and goUnquote as its inverse.
import { describe, expect, it } from 'vitest';
import { goQuote, goUnquote, goUnquoteBytes, GoUnquoteError, isGoPrint } from './goquote';

const bytes = (...b: number[]) => Uint8Array.from(b);
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('goQuote', () => {
  it('escapes quotes, backslashes and the C escapes', () => {
    expect(goQuote('a "b" \\ c')).toBe('"a \\"b\\" \\\\ c"');
    expect(goQuote('\x07\b\f\n\r\t\v')).toBe('"\\a\\b\\f\\n\\r\\t\\v"');
    expect(goQuote("it's")).toBe(`"it's"`);
  });

  it('writes other ASCII controls and DEL as \\xNN', () => {
    expect(goQuote('\x00\x01\x1b\x1f\x7f')).toBe('"\\x00\\x01\\x1b\\x1f\\x7f"');
  });

  it('keeps printable Unicode and escapes what strconv.IsPrint rejects', () => {
    expect(goQuote('é € ✓ 日本 😀 \u0301')).toBe('"é € ✓ 日本 😀 \u0301"');
    // C1 controls, no-break space, soft hyphen, zero-width space, LRM, line/paragraph separator, BOM, specials.
    expect(goQuote('\u0080\u009f\u00a0\u00ad\u200b\u200e\u2028\u2029\u3000\ufeff\ufff9')).toBe(
      '"\\u0080\\u009f\\u00a0\\u00ad\\u200b\\u200e\\u2028\\u2029\\u3000\\ufeff\\ufff9"',
    );
    // Unassigned, private use and beyond the BMP.
    expect(goQuote('\u0378\ue000\u{e0001}\u{10ffff}\u{1f600}')).toBe('"\\u0378\\ue000\\U000e0001\\U0010ffff😀"');
  });

  it('agrees with strconv.IsPrint around the table edges', () => {
    expect([0x1f, 0x20, 0x7e, 0x7f, 0xa0, 0xa1, 0xad, 0xae].map(isGoPrint)).toEqual([
      false,
      true,
      true,
      false,
      false,
      true,
      false,
      true,
    ]);
    expect(isGoPrint(0xfffd)).toBe(true);
    expect(isGoPrint(0x110000)).toBe(false);
  });

  it('quotes bytes, writing each byte that is not valid UTF-8 as \\xNN', () => {
    expect(goQuote(utf8('/etc/é'))).toBe('"/etc/é"');
    expect(goQuote(bytes(0x61, 0xff, 0x62))).toBe('"a\\xffb"');
    expect(goQuote(bytes(0xe2, 0x82))).toBe('"\\xe2\\x82"'); // truncated €
    expect(goQuote(bytes(0xc0, 0xaf))).toBe('"\\xc0\\xaf"'); // overlong '/'
    expect(goQuote(bytes(0xed, 0xa0, 0x80))).toBe('"\\xed\\xa0\\x80"'); // a surrogate
    expect(goQuote(bytes(0xf4, 0x90, 0x80, 0x80))).toBe('"\\xf4\\x90\\x80\\x80"'); // beyond U+10FFFF
    expect(goQuote(bytes(0x80, 0xe2, 0x82, 0xac))).toBe('"\\x80€"');
    expect(goQuote(bytes(0xef, 0xbf, 0xbd))).toBe('"\ufffd"'); // an encoded U+FFFD is printable
    expect(goQuote(bytes(0xe2, 0x80, 0xa8, 0x0a))).toBe('"\\u2028\\n"');
  });

  it('takes a lone surrogate in a JS string as U+FFFD', () => {
    expect(goQuote('a\ud800b')).toBe('"a\ufffdb"');
  });
});

describe('goUnquote', () => {
  it('undoes every escape goQuote writes', () => {
    const samples = ['a "b" \\ c', '\x07\b\f\n\r\t\v\x00\x7f', '\u00a0\u200b\u2028\ufeff\u{e0001}', '/etc/日本/😀', ''];
    for (const s of samples) expect(goUnquote(goQuote(s))).toBe(s);
    for (const b of [bytes(0x61, 0xff), bytes(0xed, 0xa0, 0x80), bytes(0xc0, 0xaf, 0x5c, 0x22)]) {
      expect(goUnquoteBytes(goQuote(b))).toEqual(b);
    }
  });

  it('reads octal escapes and rejects what strconv.Unquote rejects', () => {
    expect(goUnquote('"\\101\\x42\\u0043"')).toBe('ABC');
    expect(goUnquoteBytes('"\\377"')).toEqual(bytes(0xff));
    for (const bad of ['abc', '"a"b"', '"\\q"', '"\\400"', '"\\ud800"', '"\\U00110000"', '"\\x4"', '"a\\"', "'a'"]) {
      expect(() => goUnquoteBytes(bad), bad).toThrow(GoUnquoteError);
    }
  });
});
