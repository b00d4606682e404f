import { describe, expect, it } from 'vitest';
import { bytesLineDiff, diffSides, diffStats, lineDiff } from './index';

const enc = (s: string) => new TextEncoder().encode(s);

describe('lineDiff and diffStats', () => {
  it('runs of unchanged, removed and added lines', () => {
    const d = lineDiff('a\nb\nc\n', 'a\nB\nc\nd\n');
    expect(d).toEqual([
      { value: 'a\n', count: 1 },
      { value: 'b\n', removed: true, count: 1 },
      { value: 'B\n', added: true, count: 1 },
      { value: 'c\n', count: 1 },
      { value: 'd\n', added: true, count: 1 },
    ]);
    expect(diffStats(d)).toEqual({ added: 2, removed: 1 });
  });

  it('identical and empty inputs', () => {
    expect(diffStats(lineDiff('same\n', 'same\n'))).toEqual({ added: 0, removed: 0 });
    expect(lineDiff('', '')).toEqual([]);
    expect(diffStats(lineDiff('', 'x\ny'))).toEqual({ added: 2, removed: 0 });
  });

  it('counts lines when a change carries no count', () => {
    expect(
      diffStats([
        { value: 'a\nb\n', added: true },
        { value: 'c', removed: true },
      ]),
    ).toEqual({ added: 2, removed: 1 });
  });
});

describe('bytesLineDiff', () => {
  it('diffs text and refuses binary', () => {
    expect(bytesLineDiff(enc('x\n'), enc('y\n'))).toEqual({
      binary: false,
      lines: [
        { value: 'x\n', removed: true, count: 1 },
        { value: 'y\n', added: true, count: 1 },
      ],
    });
    expect(bytesLineDiff(null, enc('new\n'))).toEqual({
      binary: false,
      lines: [{ value: 'new\n', added: true, count: 1 }],
    });
    expect(bytesLineDiff(enc('text'), new Uint8Array([0, 159, 1]))).toEqual({ binary: true });
  });
});

describe('diffSides', () => {
  it('gives back the two texts a line diff was made of', () => {
    const a = 'one\ntwo\nthree\n';
    const b = 'one\n2\nthree\nfour\n';
    expect(diffSides(lineDiff(a, b))).toEqual({ before: a, after: b });
    expect(diffSides([])).toEqual({ before: '', after: '' });
  });
});
