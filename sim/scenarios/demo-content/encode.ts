// Data URLs as the Machine Config Operator writes them into Ignition file contents, built from plain text.
// Pure TypeScript (TextEncoder, fflate): no Node Buffer, so the demo content can be built anywhere.
import { gzipSync } from 'fflate';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (RFC 4648, with padding). */
export function base64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + '==';
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + '=';
  }
  return out;
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/**
 * `data:,<percent-encoded>`: the style of most files in a real rendered config. The MCO leaves exactly
 * encodeURIComponent's unreserved set unescaped (letters, digits and `-_.!~*'()`), so this matches byte for byte.
 */
export function dataUrl(text: string): string {
  return `data:,${encodeURIComponent(text)}`;
}

/** `data:text/plain;charset=utf-8;base64,...`: the style of the controller-generated kubelet and registries files. */
export function base64DataUrl(text: string): string {
  return `data:text/plain;charset=utf-8;base64,${base64(utf8(text))}`;
}

/**
 * A base64 data URL of the gzipped text, for a file entry with `compression: gzip`. mtime 0 keeps the bytes (and
 * so the rendered config's hash) the same on every run.
 */
export function gzipDataUrl(text: string): string {
  return `data:;base64,${base64(gzipSync(utf8(text), { level: 9, mtime: 0 }))}`;
}
