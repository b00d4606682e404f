// Process-wide singletons. Next bundles route handlers, the proxy and instrumentation separately, so one module may
// be instantiated several times in one process: anything that must exist once (the cache, the settings, caches keyed
// by identity, the exec semaphore) is kept on globalThis under a registered symbol, and only through this function.
import 'server-only';
export function processSingleton<T>(name: string, make: () => T): T {
  const key = Symbol.for(`plumb.${name}`);
  const g = globalThis as unknown as Record<symbol, T | undefined>;
  let v = g[key];
  if (v === undefined) g[key] = v = make();
  return v;
}

/** Replace a process-wide value (the production server reads some of them from outside Next's module graph). */
export function setProcessSingleton<T>(name: string, value: T): void {
  (globalThis as unknown as Record<symbol, T>)[Symbol.for(`plumb.${name}`)] = value;
}
