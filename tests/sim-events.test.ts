// Events are bounded like a real cluster's: with `--event-ttl 3s` the events of a settling cluster disappear from
// the API and from state.json a few seconds after their last update.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MINI, startSim, type SimProcess } from './sim-process';
import { clients, poolSettled, waitFor } from './sim-helpers';

const started: SimProcess[] = [];
afterAll(async () => {
  for (const s of started) await s.stop({ removeData: true });
});

describe('--event-ttl', () => {
  it('expires events from the API and from state.json', async () => {
    const sim = await startSim([...MINI, '--event-ttl', '3s']);
    started.push(sim);
    const c = clients(sim.kubeConfig());
    await waitFor('worker settled', () => poolSettled(c, 'worker'), 20_000);
    // Something happens: an event is recorded for it.
    await c.core.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { name: 'probe.1' },
        involvedObject: { kind: 'Node', name: 'mini-worker-1' },
        reason: 'Probe',
        message: 'recorded by the test',
        type: 'Normal',
        lastTimestamp: new Date() as any,
      },
    });
    const events = async () => (await c.core.listEventForAllNamespaces()).items;
    expect((await events()).map((e) => e.metadata!.name)).toContain('probe.1');
    const stateEvents = () =>
      JSON.parse(readFileSync(join(sim.dataDir, 'state.json'), 'utf8')).objects.events as unknown[];
    await waitFor('events gone from the API', async () => (await events()).length === 0, 15_000);
    await waitFor('events gone from state.json', async () => stateEvents().length === 0, 5_000);
  }, 60_000);
});
