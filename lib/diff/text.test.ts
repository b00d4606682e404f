import { describe, expect, it } from 'vitest';
import { bytesToText, isProbablyText } from './text';

describe('bytesToText and isProbablyText', () => {
  it('tells text from binary', () => {
    expect(bytesToText(new TextEncoder().encode('\ufeffhé\n'))).toBe('\ufeffhé\n');
    expect(bytesToText(new Uint8Array([0x61, 0x00]))).toBeNull();
    expect(bytesToText(new Uint8Array([0xff, 0xfe]))).toBeNull();
    expect(isProbablyText(new TextEncoder().encode('a\tb\r\n'))).toBe(true);
    expect(isProbablyText(new Uint8Array([1, 2, 3, 4, 5, 6, 0x61]))).toBe(false);
    expect(isProbablyText(new Uint8Array([0x1f, 0x8b, 0x08, 0x00]))).toBe(false);
  });
});
