// Whether bytes are text, decided in one place for the whole console: the config views, the drift view and the
// line diffs all call a file "binary" by these rules. Pure: runs in the browser, the server and the simulator.

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes as text when they are valid UTF-8 without NUL bytes; else null (binary). */
export function bytesToText(bytes: Uint8Array): string | null {
  if (bytes.indexOf(0) >= 0) return null;
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Whether bytes look like text a person can read in a diff: valid UTF-8, no NUL, and at most 1 in 20 characters
 * a control character other than tab, newline, carriage return, form feed, backspace and escape.
 */
export function isProbablyText(bytes: Uint8Array): boolean {
  const text = bytesToText(bytes);
  if (text === null) return false;
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 8 && c !== 27) || c === 127) controls++;
  }
  return controls * 20 <= text.length;
}
