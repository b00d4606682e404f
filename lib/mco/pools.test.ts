import { describe, expect, it } from 'vitest';
import { fixturesDir, FIXTURES_MISSING, loadDump } from '@/tests/fixtures';
import { matchesSelector, poolMembership, poolNodes } from './pools';
import type { MachineConfigPool, Node } from './types';

function pool(name: string, nodeSelector: MachineConfigPool['spec']['nodeSelector']): MachineConfigPool {
  return {
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfigPool',
    metadata: { name },
    spec: { nodeSelector },
  };
}
const rolePool = (role: string) => pool(role, { matchLabels: { [`node-role.kubernetes.io/${role}`]: '' } });
const node = (name: string, labels: Record<string, string>): Node => ({ metadata: { name, labels } });
const roles = (...r: string[]) => Object.fromEntries(r.map((x) => [`node-role.kubernetes.io/${x}`, '']));
const names = (ns: Node[]) => ns.map((n) => n.metadata.name);

describe('matchesSelector', () => {
  const labels = { a: '1', b: '2', empty: '' };
  it('matchLabels needs every pair, including empty values', () => {
    expect(matchesSelector({ matchLabels: { a: '1', empty: '' } }, labels)).toBe(true);
    expect(matchesSelector({ matchLabels: { a: '1', c: '' } }, labels)).toBe(false);
    expect(matchesSelector({ matchLabels: { a: '2' } }, labels)).toBe(false);
  });
  it('matchExpressions In, NotIn, Exists, DoesNotExist', () => {
    const m = (key: string, operator: string, values?: string[]) =>
      matchesSelector({ matchExpressions: [{ key, operator, values }] }, labels);
    expect(m('a', 'In', ['0', '1'])).toBe(true);
    expect(m('a', 'In', ['0'])).toBe(false);
    expect(m('zz', 'In', [''])).toBe(false);
    expect(m('a', 'NotIn', ['1'])).toBe(false);
    expect(m('a', 'NotIn', ['3'])).toBe(true);
    expect(m('zz', 'NotIn', ['1'])).toBe(true); // absent key satisfies NotIn, as in Kubernetes
    expect(m('b', 'Exists')).toBe(true);
    expect(m('zz', 'Exists')).toBe(false);
    expect(m('zz', 'DoesNotExist')).toBe(true);
    expect(m('a', 'DoesNotExist')).toBe(false);
    expect(m('a', 'Bogus', ['1'])).toBe(false);
  });
  it('an absent or empty selector matches everything; labels may be absent', () => {
    expect(matchesSelector(undefined, labels)).toBe(true);
    expect(matchesSelector({}, undefined)).toBe(true);
    expect(matchesSelector({ matchLabels: { a: '1' } }, undefined)).toBe(false);
  });
});

describe('poolMembership', () => {
  const infra = pool('infra', {
    matchExpressions: [{ key: 'node-role.kubernetes.io/infra', operator: 'Exists' }],
  });
  const pools = [rolePool('master'), rolePool('worker'), infra, rolePool('gpu')];

  it('a custom pool wins over worker, master over custom', () => {
    const nodes = [
      node('w', roles('worker')),
      node('wi', roles('worker', 'infra')),
      node('mi', roles('master', 'infra')),
      node('mw', roles('master', 'worker')),
      node('i', roles('infra')),
    ];
    const { byPool, errors } = poolMembership(pools, nodes);
    expect(errors).toEqual([]);
    expect(names(byPool.worker)).toEqual(['w']);
    expect(names(byPool.infra)).toEqual(['wi', 'i']);
    expect(names(byPool.master)).toEqual(['mi', 'mw']);
    expect(byPool.gpu).toEqual([]);
    expect(names(poolNodes(infra, pools, nodes))).toEqual(['wi', 'i']);
  });

  it('a node in two custom pools belongs to none, with the MCO message', () => {
    const nodes = [node('x', roles('worker', 'infra', 'gpu')), node('y', roles('master', 'infra', 'gpu'))];
    const { byPool, errors } = poolMembership(pools, nodes);
    expect(errors).toEqual([
      { node: 'x', message: 'node x belongs to 2 custom roles, cannot proceed with this Node' },
      { node: 'y', message: 'node y belongs to 2 custom roles, cannot proceed with this Node' },
    ]);
    expect(Object.values(byPool).flat()).toEqual([]);
  });

  it('excludes Windows nodes; a pool with an empty node selector selects no node', () => {
    const everything = pool('everything', {});
    const nodes = [node('win', { ...roles('worker'), 'kubernetes.io/os': 'windows' }), node('lin', roles('worker'))];
    const { byPool } = poolMembership([...pools, everything], nodes);
    expect(names(byPool.worker)).toEqual(['lin']);
    expect(byPool.everything).toEqual([]);
  });
});

describe.skipIf(!fixturesDir())('pool membership in real dumps', () => {
  it('matches the recorded machine counts', () => {
    for (const set of ['4.16.0-compact', '4.14.1-paused-worker-pool']) {
      const pools = loadDump(`${set}-mcp.yaml`) as MachineConfigPool[];
      const nodes = loadDump(`${set}-node.yaml`) as Node[];
      const { byPool, errors } = poolMembership(pools, nodes);
      expect(errors).toEqual([]);
      for (const p of pools)
        expect(byPool[p.metadata.name].length, `${set} ${p.metadata.name}`).toBe(p.status!.machineCount);
    }
    // The compact cluster's nodes carry both master and worker roles: master wins, worker is empty.
    const pools = loadDump('4.16.0-compact-mcp.yaml') as MachineConfigPool[];
    const nodes = loadDump('4.16.0-compact-node.yaml') as Node[];
    expect(poolMembership(pools, nodes).byPool.worker).toEqual([]);
  });
});

if (!fixturesDir()) console.warn(FIXTURES_MISSING);
