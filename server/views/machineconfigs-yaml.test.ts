// A MachineConfig's SSH keys, and its YAML without managedFields or (unless revealed) sensitive contents.
import { describe, expect, it } from 'vitest';
import type { MachineConfig } from '../../lib/mco/types';
import { machineConfigYaml, sshKeys } from './machineconfigs';

const mc = {
  metadata: { name: '99-worker-x', managedFields: [{ manager: 'kubectl' }] },
  spec: {
    config: {
      ignition: { version: '3.2.0' },
      passwd: { users: [{ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAA a@b'] }, { name: 'nokeys' }] },
      storage: {
        files: [
          { path: '/var/lib/kubelet/config.json', mode: 384, contents: { source: 'data:,SECRET' } },
          { path: '/etc/motd', mode: 420, contents: { source: 'data:,hello' } },
        ],
      },
    },
  },
} as unknown as MachineConfig;

describe('MachineConfig views', () => {
  it('lists SSH keys per user', () => {
    expect(sshKeys(mc)).toEqual([{ user: 'core', keys: ['ssh-ed25519 AAAA a@b'] }]);
  });
  it('prints YAML with apiVersion and kind first, no managedFields, sensitive contents withheld unless revealed', () => {
    const y = machineConfigYaml(mc, false);
    expect(y.startsWith('apiVersion: machineconfiguration.openshift.io/v1\nkind: MachineConfig\n')).toBe(true);
    expect(y).not.toContain('managedFields');
    expect(y).not.toContain('SECRET');
    expect(y).toContain('data:,hello');
    expect(machineConfigYaml(mc, true)).toContain('data:,SECRET');
  });
});
