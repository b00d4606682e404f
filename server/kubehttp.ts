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

/** A raw reply: status, body text and the API server's `Warning` headers (their text only). */
export interface RawReply {
  status: number;
  body: string;
  warnings: string[];
}

/** One request with the KubeConfig's credentials; any status resolves (the caller decides what an error is). */
export async function kubeRequest(
  kc: k8s.KubeConfig,
  method: string,
  path: string,
  body?: string,
  contentType?: string,
  timeoutMs = 30_000,
): Promise<RawReply> {
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
  if (body !== undefined) {
    headers['content-type'] = contentType ?? 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  const isHttps = url.protocol === 'https:';
  const lib = isHttps ? https : http;
  return new Promise<RawReply>((resolve, reject) => {
    const req = lib.request(
      url,
      { method, headers, agent: isHttps ? (opts.agent as https.Agent) : undefined, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const raw = res.headers.warning;
          // RFC 7234 warn-code warn-agent "text": keep the text.
          const warnings = (Array.isArray(raw) ? raw : raw ? [raw] : []).map((w) => w.replace(/^\d{3} \S+ "?|"$/g, ''));
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), warnings });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms: ${method} ${url.pathname}`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** GET `path` and parse its JSON; a status of 300 or more rejects with HttpStatusError. */
export async function getJson<T = unknown>(kc: k8s.KubeConfig, path: string, timeoutMs = 30_000): Promise<T> {
  const r = await kubeRequest(kc, 'GET', path, undefined, undefined, timeoutMs);
  if (r.status >= 300) throw new HttpStatusError(r.status, r.body);
  try {
    return JSON.parse(r.body) as T;
  } catch (err) {
    throw new Error(`invalid JSON from ${path.split('?')[0]}: ${(err as Error).message}`);
  }
}
