// The UI's pure helpers: how modes are spelled out for a person, which editor language a managed path gets,
// and which cached queries a live change notice refreshes.
import { describe, expect, it } from 'vitest';
import { keysFor, eventSubject } from '@/components/data/invalidate';
import { languageFor, modeDifference, octal, symbolic } from '@/components/format';

describe('modes', () => {
  it('spells a mode difference the way ls shows it', () => {
    expect(modeDifference(0o644, 0o666)).toBe('expected 0644 (-rw-r--r--), node has 0666 (-rw-rw-rw-)');
    expect(octal(493)).toBe('0755');
    expect(symbolic(0o4755)).toBe('-rwsr-xr-x');
    expect(symbolic(0o1777)).toBe('-rwxrwxrwt');
    expect(symbolic(0o2644)).toBe('-rw-r-Sr--');
  });
});

describe('languageFor', () => {
  it('picks a tokenizer by file type', () => {
    expect(languageFor('/etc/systemd/system/kubelet.service')).toBe('ini');
    expect(languageFor('/etc/crio/crio.conf.d/00-default')).toBe('ini');
    expect(languageFor('/etc/containers/policy.json')).toBe('javascript');
    expect(languageFor('/etc/kubernetes/credential-providers/ecr-credential-provider.yaml')).toBe('yaml');
    expect(languageFor('/usr/local/bin/configure-ovs.sh')).toBe('shell');
    expect(languageFor('/etc/mco/proxy.env')).toBe('ini');
    expect(languageFor('/etc/kubernetes/ca.crt')).toBe('plaintext');
  });
});

describe('live invalidation', () => {
  it('a node change refreshes the node, its drift, the pools and the overview', () => {
    const ks = keysFor({ kind: 'Node', name: 'worker-1' }).map((k) => JSON.stringify(k));
    expect(ks).toEqual(
      expect.arrayContaining([
        '["node","worker-1"]',
        '["drift","worker-1"]',
        '["pools"]',
        '["pool"]',
        '["file","worker-1"]',
      ]),
    );
  });
  it('a pool change refreshes the pool list and that pool', () => {
    const ks = keysFor({ kind: 'MachineConfigPool', name: 'worker' }).map((k) => JSON.stringify(k));
    expect(ks).toEqual(expect.arrayContaining(['["pools"]', '["pool","worker"]']));
  });
  it('an event refreshes the object it is about', () => {
    expect(eventSubject('worker-1.17a9f3c2b4e5d6f7')).toBe('worker-1');
    expect(eventSubject('ip-10-0-1-2.us-east-2.compute.internal.181b2c3d4e5f6a7b')).toBe(
      'ip-10-0-1-2.us-east-2.compute.internal',
    );
    const ks = keysFor({ kind: 'Event', name: 'worker.181b2c3d4e5f6a7b' }).map((k) => JSON.stringify(k));
    expect(ks).toEqual(expect.arrayContaining(['["pool","worker"]', '["node","worker"]']));
  });
});
