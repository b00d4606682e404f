import { describe, expect, it } from 'vitest';
import type { PoolDriftReply, PoolDriftSide } from '../api/pooldrift';
import {
  adoptLink,
  CSV_COLUMNS,
  driftCsv,
  driftMarkdown,
  groupDrift,
  groupHash,
  groupLink,
  maskReply,
  type NodeDriftFinding,
} from './pooldrift';

const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);
const side = (text: string | null, sha: string | null, mode = 420): PoolDriftSide => ({
  sha256: sha,
  mode,
  size: text?.length ?? null,
  text,
  binary: false,
});

function finding(
  node: string,
  path: string,
  hash: string,
  mode = 420,
  extra: Partial<NodeDriftFinding> = {},
): NodeDriftFinding {
  return {
    node,
    config: 'rendered-worker-1',
    path,
    kind: 'file',
    status: 'content',
    reason: `content mismatch for file "${path}"`,
    sensitive: false,
    hash,
    expected: side('a=1\n', 'e'.repeat(64)),
    actual: side(`a=${hash.slice(0, 1)}\n`, hash, mode),
    ...extra,
  };
}

describe('groupDrift', () => {
  it('one group per path, actual hash and mode; a node may be in several groups', () => {
    const groups = groupDrift([
      finding('w-2', '/etc/a', H1),
      finding('w-0', '/etc/a', H1),
      finding('w-1', '/etc/a', H1),
      finding('w-3', '/etc/a', H2),
      finding('w-0', '/etc/b', H1),
      finding('w-4', '/etc/a', H1, 384),
    ]);
    expect(groups.map((g) => [g.path, g.hash, g.mode, g.nodes])).toEqual([
      ['/etc/a', H1, 420, ['w-0', 'w-1', 'w-2']],
      ['/etc/a', H1, 384, ['w-4']],
      ['/etc/a', H2, 420, ['w-3']],
      ['/etc/b', H1, 420, ['w-0']],
    ]);
    expect(new Set(groups.map((g) => g.id)).size).toBe(4);
    // Ids are stable across scans.
    expect(groupDrift([finding('x', '/etc/a', H1)])[0].id).toBe(groups[0].id);
  });

  it('missing and unreadable files group by what stands for their contents', () => {
    expect(groupHash('missing', null)).toBe('missing');
    expect(groupHash('content', { type: 'symlink', sha256: null })).toBe('symlink');
    expect(groupHash('content', { type: 'file', sha256: H1 })).toBe(H1);
  });
});

describe('reports', () => {
  const secret = finding('w-1', '/var/lib/kubelet/config.json', H2, 384, {
    sensitive: true,
    expected: side('{"auths":{}}', 'c'.repeat(64), 384),
    actual: side('{"auths":{"x":{"auth":"c2VjcmV0"}}}', H2, 384),
  });
  const reply: PoolDriftReply = {
    pool: 'worker',
    scan: null,
    result: {
      scanId: 's',
      scope: 'degraded',
      scannedBy: 'admin',
      checkedAt: '2026-01-01T00:00:00.000Z',
      complete: true,
      nodesScanned: 3,
      cleanNodes: 0,
      errors: [],
      groups: groupDrift([finding('w-0', '/etc/a,"b"', H1), finding('w-2', '/etc/a,"b"', H1), secret]),
    },
    restores: [],
    revealed: false,
  };

  it('masks sensitive contents unless revealed, without touching the kept reply', () => {
    const masked = maskReply(reply, false);
    const g = masked.result!.groups.find((x) => x.sensitive)!;
    expect(g.actual).toMatchObject({ text: null, redacted: true, sha256: H2 });
    expect(JSON.stringify(masked)).not.toContain('c2VjcmV0');
    expect(JSON.stringify(maskReply(reply, true))).toContain('c2VjcmV0');
    expect(reply.result!.groups.find((x) => x.sensitive)!.actual!.text).toContain('c2VjcmV0');
  });

  it('CSV: one row per node of each group, quoted where needed', () => {
    const lines = driftCsv(reply).trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('"/etc/a,""b""",w-0,false,content');
  });

  it('Markdown: each group once, contents fenced, sensitive ones withheld', () => {
    const md = driftMarkdown(maskReply(reply, false));
    expect(md).toContain('## /etc/a,"b": the same content drift on 2 node(s)');
    expect(md).toContain('Actual contents: withheld');
    expect(md).not.toContain('c2VjcmV0');
  });

  it('links: a group by path and hash; adopt through the plan page', () => {
    const g = reply.result!.groups[0];
    expect(groupLink('worker', g)).toBe(`/pools/worker/drift?path=%2Fetc%2Fa%2C%22b%22&hash=${H1}`);
    expect(adoptLink(g)).toBe('/plan?adoptNode=w-0&path=%2Fetc%2Fa%2C%22b%22');
  });
});
