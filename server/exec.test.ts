// Exec argument batching: every exec URL stays short, whatever the number of paths, and no path is lost or reordered.
import { describe, expect, it } from 'vitest';
import { argBatches, MAX_ARGV_URL_BYTES } from './exec';

describe('argBatches', () => {
  it('splits 2,500 long paths into URLs under the limit, in order', () => {
    const paths = Array.from({ length: 2500 }, (_, i) => `/rootfs/etc/some directory/ä-${i}.conf`);
    const batches = argBatches(['stat', '-c', '%f %s %n'], paths);
    expect(batches.length).toBeGreaterThan(10);
    expect(batches.flat()).toEqual(paths);
    for (const b of batches) {
      const url = ['stat', '-c', '%f %s %n', ...b].map((a) => `&command=${encodeURIComponent(a)}`).join('');
      expect(url.length).toBeLessThanOrEqual(MAX_ARGV_URL_BYTES);
    }
  });

  it('keeps a short list in one exec, and an over-long single path alone', () => {
    expect(argBatches(['cat'], ['/rootfs/a', '/rootfs/b'])).toEqual([['/rootfs/a', '/rootfs/b']]);
    const huge = '/rootfs/' + 'x'.repeat(MAX_ARGV_URL_BYTES);
    expect(argBatches(['cat'], ['/rootfs/a', huge, '/rootfs/b'])).toEqual([['/rootfs/a'], [huge], ['/rootfs/b']]);
  });
});
