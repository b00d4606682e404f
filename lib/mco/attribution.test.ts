import { describe, expect, it } from 'vitest';
import { attributeSources } from './attribution';
import { dataUrl, ign, mc } from './testing-helpers';

describe('attributeSources', () => {
  it('names the source of contents and mode, who declared a path and who was overridden', () => {
    const a = attributeSources([
      mc(
        '99-infra-custom',
        'infra',
        ign({
          storage: {
            files: [
              { path: '/etc/x', mode: 384 },
              { path: '/etc/only-infra', contents: { source: dataUrl('i') } },
            ],
          },
          systemd: { units: [{ name: 'kubelet.service', dropins: [{ name: '10-a.conf', contents: 'infra' }] }] },
        }),
      ),
      mc(
        '00-worker',
        'worker',
        ign({
          storage: {
            files: [
              { path: '/etc/x', mode: 420, contents: { source: dataUrl('w') } },
              { path: '/etc/y', contents: { source: dataUrl('y') } },
            ],
          },
          systemd: {
            units: [
              {
                name: 'kubelet.service',
                enabled: true,
                contents: '[Unit]\n',
                dropins: [{ name: '10-a.conf', contents: 'worker' }],
              },
            ],
          },
        }),
      ),
      mc(
        '50-worker-y',
        'worker',
        ign({ storage: { files: [{ path: '/etc/y', contents: { source: dataUrl('y2') } }] } }),
      ),
      mc('00-meta-only', 'worker', null),
    ]);
    expect(a['/etc/x']).toEqual({
      path: '/etc/x',
      kind: 'file',
      contentsFrom: '00-worker',
      modeFrom: '99-infra-custom',
      declaredBy: ['00-worker', '99-infra-custom'],
      overridden: ['00-worker'],
    });
    expect(a['/etc/y']).toMatchObject({
      contentsFrom: '50-worker-y',
      modeFrom: null,
      declaredBy: ['00-worker', '50-worker-y'],
      overridden: ['00-worker'],
    });
    expect(a['/etc/only-infra']).toMatchObject({
      contentsFrom: '99-infra-custom',
      declaredBy: ['99-infra-custom'],
      overridden: [],
    });
    expect(a['/etc/systemd/system/kubelet.service.d/10-a.conf']).toEqual({
      path: '/etc/systemd/system/kubelet.service.d/10-a.conf',
      kind: 'dropin',
      contentsFrom: '99-infra-custom',
      modeFrom: null,
      declaredBy: ['00-worker', '99-infra-custom'],
      overridden: ['00-worker'],
    });
    expect(a['/etc/systemd/system/kubelet.service']).toEqual({
      path: '/etc/systemd/system/kubelet.service',
      kind: 'unit',
      contentsFrom: '00-worker',
      modeFrom: null,
      declaredBy: ['00-worker', '99-infra-custom'],
      overridden: [],
    });
    expect(Object.keys(a).sort()).toEqual([
      '/etc/only-infra',
      '/etc/systemd/system/kubelet.service',
      '/etc/systemd/system/kubelet.service.d/10-a.conf',
      '/etc/x',
      '/etc/y',
    ]);
  });
});
