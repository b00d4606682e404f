// PATCH bodies: JSON merge patch (RFC 7386), JSON patch (RFC 6902, via fast-json-patch) and an approximation of
// Kubernetes strategic merge patch for core kinds (merge patch, plus lists merged by key, plus $-directives stripped).
import jsonpatch, { type Operation } from 'fast-json-patch';
import { parse as parseYaml } from 'yaml';
import { badRequest, status, unsupportedPatch } from './status';
import { isObject as isObj, objectOr, type JsonObject } from '../raw';
import type { ResourceInfo } from './resources';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** The patch type for a Content-Type, or a 415 StatusError with the accepted list a real server gives. */
export function patchTypeFor(contentType: string | undefined, info: ResourceInfo): PatchType {
  const mime = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const t = TYPES[mime];
  const accepted = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];
  if (!info.custom) accepted.push('application/strategic-merge-patch+json');
  if (!t || (t === 'strategic' && info.custom)) throw unsupportedPatch(accepted);
  return t;
}

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return patch;
  const out: JsonObject = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

// Merge keys of the list fields a console or kubectl patches on core kinds (from the Go struct tags).
const MERGE_KEYS: Record<string, string | string[]> = {
  conditions: 'type',
  taints: ['key', 'effect'],
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  env: 'name',
  ports: 'containerPort',
  addresses: 'type',
  images: 'names',
  containerStatuses: 'name',
  initContainerStatuses: 'name',
  ownerReferences: 'uid',
  imagePullSecrets: 'name',
  finalizers: '',
};

function sameKey(a: unknown, b: unknown, key: string | string[]): boolean {
  const keys = Array.isArray(key) ? key : [key];
  return keys.every((k) => JSON.stringify(objectOr(a)?.[k]) === JSON.stringify(objectOr(b)?.[k]));
}

function strategicList(field: string, target: unknown, patch: unknown[]): unknown[] {
  const key = MERGE_KEYS[field];
  if (key === undefined || !Array.isArray(target)) return patch.map((p) => strip(p));
  if (key === '') {
    // A set of primitives (finalizers): union, keeping order.
    const out = [...target];
    for (const p of patch) if (!out.includes(p)) out.push(p);
    return out;
  }
  let out = [...target];
  for (const p of patch) {
    if (!isObj(p)) continue;
    if (p.$patch === 'delete') {
      out = out.filter((t) => !sameKey(t, p, key));
      continue;
    }
    const i = out.findIndex((t) => sameKey(t, p, key));
    if (i >= 0) out[i] = strategicMerge(out[i], p);
    else out.push(strip(p));
  }
  return out;
}

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (!isObj(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = strip(x);
  return out;
}

export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return patch;
  if (patch.$patch === 'replace') return strip(patch);
  if (patch.$patch === 'delete') return undefined;
  const out: JsonObject = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) {
      const m = /^\$deleteFromPrimitiveList\/(.+)$/.exec(k);
      const list = m ? out[m[1]] : undefined;
      if (m && Array.isArray(list) && Array.isArray(v)) out[m[1]] = list.filter((x: unknown) => !v.includes(x));
      continue;
    }
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = strategicList(k, out[k], v);
    else if (isObj(v)) {
      const r = strategicMerge(out[k], v);
      if (r === undefined) delete out[k];
      else out[k] = r;
    } else out[k] = v;
  }
  return out;
}

// fast-json-patch error names: a malformed patch document (400) versus an op that cannot apply (422).
const MALFORMED = new Set([
  'SEQUENCE_NOT_AN_ARRAY',
  'OPERATION_NOT_AN_OBJECT',
  'OPERATION_OP_INVALID',
  'OPERATION_PATH_INVALID',
  'OPERATION_FROM_REQUIRED',
  'OPERATION_VALUE_REQUIRED',
  'OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED',
]);

/** Apply a parsed patch body to (a copy of) `current`. Throws StatusErrors (400 / 422). */
export function applyPatch(type: PatchType, current: unknown, rawBody: string): unknown {
  let body: unknown;
  try {
    body = type === 'apply' ? parseYaml(rawBody) : JSON.parse(rawBody);
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
  if (type === 'json') {
    if (!Array.isArray(body)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    try {
      return jsonpatch.applyPatch(structuredClone(current), body as Operation[], true, true, true).newDocument;
    } catch (e) {
      const name = (e as { name?: string }).name ?? '';
      const message = (e as Error).message.split('\n')[0];
      if (MALFORMED.has(name))
        throw badRequest(
          `the server rejected our request due to an error in our request: invalid JSON patch: ${message}`,
        );
      throw status(422, 'Invalid', `the server rejected our request due to an error in our request: ${message}`);
    }
  }
  if (!isObj(body)) throw badRequest('the patch body must be a JSON object');
  if (type === 'strategic') return strategicMerge(current, body);
  return mergePatch(current, body);
}
