// Pools that need a person although nothing is degraded: a pure function of a pool's summary, so the server's
// /api/pools and the browser's in-place patching of that reply (lib/api/patch.ts) derive it the same way.
import type { PoolAttentionItem, PoolSummary } from './types';

/**
 * A paused pool whose target config differs from what its nodes run: a rendered change is held back (the MCO's
 * render controller moves spec.configuration while the node controller, pkg/controller/node, skips paused pools),
 * and with it the kubelet CA rotation. Nothing is degraded, yet a person has to decide.
 */
export function poolAttention(p: PoolSummary): PoolAttentionItem[] {
  if (!p.paused || !p.targetConfig || p.targetConfig === p.renderedConfig) return [];
  return [
    {
      pool: p.name,
      kind: 'paused-pending',
      renderedConfig: p.renderedConfig,
      targetConfig: p.targetConfig,
      summary: `Pool ${p.name} is paused with a new config waiting: its nodes stay on ${p.renderedConfig ?? 'their config'} until it is resumed.`,
    },
  ];
}
