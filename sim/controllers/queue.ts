// A debounced work queue, like client-go's rate-limited queue reduced to what the simulated controllers need:
// keys marked dirty within `delayMs` are handled together in one pass, and a pass never runs concurrently
// with itself (keys marked during a pass wait for the next one).

export interface WorkQueue {
  add(key: string): void;
  /** Resolves once nothing is pending or running. */
  idle(): Promise<void>;
  stop(): void;
}

export function createWorkQueue(
  delayMs: number,
  handle: (keys: Set<string>) => void,
  onError: (err: unknown) => void,
): WorkQueue {
  let dirty = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let waiters: (() => void)[] = [];

  const settle = () => {
    if (timer || dirty.size > 0) return;
    const w = waiters;
    waiters = [];
    for (const r of w) r();
  };

  const run = () => {
    timer = null;
    if (stopped) return;
    const keys = dirty;
    dirty = new Set();
    try {
      handle(keys);
    } catch (err) {
      onError(err);
    }
    if (dirty.size > 0 && !timer) timer = setTimeout(run, delayMs);
    settle();
  };

  return {
    add(key) {
      if (stopped) return;
      dirty.add(key);
      if (!timer) timer = setTimeout(run, delayMs);
    },
    idle() {
      if (!timer && dirty.size === 0) return Promise.resolve();
      return new Promise((r) => waiters.push(r));
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      dirty.clear();
      settle();
    },
  };
}
