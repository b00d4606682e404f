// Go's fmt verbs that MCO messages use, reproduced byte for byte for JavaScript strings.

/** Go's %q for a string: double quotes, with backslash escapes for quotes, backslashes and control characters. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\x07':
        out += '\\a';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\v':
        out += '\\v';
        break;
      default:
        // A lone surrogate cannot reach Go: JSON decoding turns it into U+FFFD, which prints as itself.
        if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd';
        else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
        else if (isGoNonPrintable(cp)) out += cp > 0xffff ? '\\U' + cp.toString(16).padStart(8, '0') : '\\u' + cp.toString(16).padStart(4, '0');
        else out += ch;
    }
  }
  return out + '"';
}

/** Unicode code points Go's strconv.IsPrint rejects that are likely in text (spaces other than ' ', format chars). */
function isGoNonPrintable(cp: number): boolean {
  return (
    (cp >= 0x80 && cp <= 0xa0) ||
    cp === 0xad ||
    (cp >= 0x2000 && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202f) ||
    (cp >= 0x205f && cp <= 0x206f) ||
    cp === 0x3000 ||
    cp === 0xfeff ||
    (cp >= 0xfff9 && cp <= 0xfffb)
  );
}
