// A raw JSON GET against the cluster with a KubeConfig's credentials. Informer lists use it instead of the typed
// clients so that listed objects have exactly the JSON shape watch events have (no Date objects, no classes).
import http from 'node:http';
import https from 'node:https';
import type * as k8s from '@kubernetes/client-node';

export class HttpStatusError extends Error {
  constructor(
    public code: number,
    public body: string,
  ) {
    super(`HTTP ${code}`);
    this.name = 'HttpStatusError';
  }
}

export async function getJson<T = unknown>(kc: k8s.KubeConfig, path: string, timeoutMs = 30_000): Promise<T> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('no current cluster');
  const url = new URL(cluster.server.replace(/\/$/, '') + path);
  const opts = (await kc.applyToFetchOptions({})) as { headers?: unknown; agent?: http.Agent };
  const headers: Record<string, string> = { accept: 'application/json' };
  const h = opts.headers as
    { forEach?: (cb: (v: string, k: string) => void) => void } | Record<string, string> | undefined;
  // client-node hands back node-fetch Headers (iterable with forEach) or a plain record.
  if (h && typeof h.forEach === 'function')
    (h.forEach as (cb: (v: string, k: string) => void) => void)((v, k) => (headers[k] = v));
  else if (h) Object.assign(headers, h);
  const isHttps = url.protocol === 'https:';
  const lib = isHttps ? https : http;
  return new Promise<T>((resolve, reject) => {
    const req = lib.request(
      url,
      { method: 'GET', headers, agent: isHttps ? (opts.agent as https.Agent) : undefined, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 0) >= 300) return reject(new HttpStatusError(res.statusCode ?? 0, text));
          try {
            resolve(JSON.parse(text) as T);
          } catch (err) {
            reject(new Error(`invalid JSON from ${url.pathname}: ${(err as Error).message}`));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms: GET ${url.pathname}`)));
    req.on('error', reject);
    req.end();
  });
}
