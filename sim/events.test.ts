// Event aggregation and expiry on a real store: repeats bump count, many similar messages combine into one event,
// and events expire a TTL after their last update.
import { describe, expect, it } from 'vitest';
import { createStore } from './store';
import { expireEvents, recordEvent, type EventInput } from './events';

const input = (message: string): EventInput => ({
  kind: 'Node',
  name: 'w0',
  type: 'Warning',
  reason: 'UpdateFailed',
  message,
  component: 'machineconfigdaemon',
  host: 'w0',
});

describe('recordEvent', () => {
  it('counts repeats and combines more than 10 different messages of one object and reason into one event', () => {
    const store = createStore();
    const t0 = Date.parse('2024-05-01T10:00:00Z');
    recordEvent(store, input('same'), new Date(t0));
    const e = recordEvent(store, input('same'), new Date(t0 + 5000)) as any;
    expect({ count: e.count, first: e.firstTimestamp, last: e.lastTimestamp }).toEqual({
      count: 2,
      first: '2024-05-01T10:00:00Z',
      last: '2024-05-01T10:00:05Z',
    });
    for (let i = 0; i < 100; i++) recordEvent(store, input(`attempt ${i} failed`), new Date(t0 + 10_000 + i * 1000));
    const events = store.list('events') as any[];
    // `same` plus 8 more distinct messages below the threshold, then one combined event for the other 92.
    expect(events.length).toBe(10);
    const combined = events.find((x) => x.message.startsWith('(combined from similar events): '));
    expect({ message: combined.message, count: combined.count }).toEqual({
      message: '(combined from similar events): attempt 99 failed',
      count: 92,
    });
  });

  it('expires events last updated more than the TTL ago', () => {
    const store = createStore();
    const now = Date.parse('2024-05-01T12:00:00Z');
    recordEvent(store, { ...input('old'), name: 'a' }, new Date(now - 3601_000));
    recordEvent(store, { ...input('kept'), name: 'b' }, new Date(now - 3601_000));
    recordEvent(store, { ...input('kept'), name: 'b' }, new Date(now - 60_000)); // updated since: lives on
    expect(expireEvents(store, 3600_000, now)).toBe(1);
    expect((store.list('events') as any[]).map((e) => e.involvedObject.name)).toEqual(['b']);
    // An expired event's repeat starts a new event.
    expect((recordEvent(store, { ...input('old'), name: 'a' }, new Date(now)) as any).count).toBe(1);
  });
});
