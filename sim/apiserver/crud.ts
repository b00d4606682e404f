// The REST verbs on stored resources: get, list, create, update (PUT), patch, delete, deletecollection, with the
// status-subresource rules, optimistic concurrency, field validation, dry runs and the Status errors of a real API server.
import { randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { deepEqual } from '../store';
import { field, hasMetadata, isObject, objectOr, type JsonObject, type RawWrite } from '../raw';
import type { KubeObject, Store } from '../types';
import { StoreError } from '../types';
import { applyPatch, patchTypeFor } from './patch';
import { apiVersionOf, infoFor, type ResourceInfo } from './resources';
import type { Predicate } from './selectors';
import { duplicateFields, validateObject, type FieldValidation } from './validation';
import { alreadyExists, badRequest, conflict, invalid, notFound, status, StatusError } from './status';

export interface Target {
  info: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: 'status';
}

export interface Reply {
  code: number;
  body: unknown;
  /** Warning headers (field validation Warn). */
  warnings?: string[];
}

export interface WriteOptions {
  /** fieldValidation; Warn when absent. */
  validation?: FieldValidation;
  /** dryRun=All: validate everything, store nothing. */
  dryRun?: boolean;
  /** The request's Content-Type (create and update also take YAML). */
  contentType?: string;
}

const isYaml = (contentType: string | undefined) => /^application\/(yaml|x-yaml)\b/i.test((contentType ?? '').trim());

/** A create/update body as JSON or YAML, with the duplicate fields a strict decoder would report. */
function parseBody(raw: string, opts: WriteOptions): { body: JsonObject; duplicates: string[] } {
  if (!isYaml(opts.contentType)) return { body: parseJsonObject(raw), duplicates: duplicateFields(raw) };
  let v: unknown;
  try {
    v = parseYaml(raw);
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    if (/unique/i.test(msg)) throw badRequest(`the body of the request has a duplicate field: ${msg}`);
    throw badRequest(`the body of the request could not be decoded as YAML: ${msg}`);
  }
  if (!isObject(v)) throw badRequest('the body of the request must be a YAML mapping');
  return { body: v, duplicates: [] };
}

/** What the store would make of a new object, without storing it (dryRun create). */
function wouldCreate(body: RawWrite): KubeObject {
  const o = structuredClone(body) as KubeObject;
  if (!o.metadata.name) o.metadata.name = `${o.metadata.generateName}${randomUUID().replace(/-/g, '').slice(0, 5)}`;
  o.metadata.uid = randomUUID();
  o.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  o.metadata.generation = 1;
  return o;
}

/** What store.replace would make of `next` (dryRun update/patch): same resourceVersion, generation bumped on a spec change. */
function wouldReplace(current: KubeObject, next: KubeObject): KubeObject {
  const o = structuredClone(next);
  const { metadata: _a, status: _b, ...specNext } = o;
  const { metadata: _c, status: _d, ...specCur } = current;
  o.metadata = {
    ...o.metadata,
    uid: current.metadata.uid,
    creationTimestamp: current.metadata.creationTimestamp,
    generation: current.metadata.generation,
  };
  if (!deepEqual(specNext, specCur)) o.metadata.generation = (current.metadata.generation ?? 1) + 1;
  return o;
}

/** Translate the store's errors into the API's Status errors. */
export function fromStoreError(e: unknown, info: ResourceInfo, name: string): never {
  if (e instanceof StoreError) {
    switch (e.reason) {
      case 'NotFound':
        throw notFound(info, name);
      case 'AlreadyExists':
        throw alreadyExists(info, name);
      case 'Conflict':
        throw conflict(info, name);
      case 'Invalid':
        throw status(422, 'Invalid', e.message, { name, group: info.group, kind: info.kind });
      default:
        throw badRequest(e.message);
    }
  }
  throw e;
}

export function parseJsonObject(raw: string, what = 'body'): JsonObject {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (e) {
    throw badRequest(`the ${what} of the request could not be decoded as JSON: ${(e as Error).message}`);
  }
  if (!isObject(v)) throw badRequest(`the ${what} of the request must be a JSON object`);
  return v;
}

function checkTypeMeta(info: ResourceInfo, body: JsonObject): asserts body is RawWrite {
  const apiVersion = apiVersionOf(info);
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersion)
    throw badRequest(
      `the API version in the data (${body.apiVersion}) does not match the expected API version (${apiVersion})`,
    );
  if (body.kind !== undefined && body.kind !== info.kind)
    throw badRequest(`the kind in the data (${body.kind}) does not match the expected kind (${info.kind})`);
  if (body.metadata !== undefined && !isObject(body.metadata)) throw badRequest('metadata must be a JSON object');
  body.apiVersion = apiVersion;
  body.kind = info.kind;
  body.metadata ??= {};
}

function checkNamespace(t: Target, body: RawWrite) {
  if (!t.info.namespaced) {
    delete body.metadata.namespace;
    return;
  }
  if (body.metadata.namespace && body.metadata.namespace !== t.namespace)
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  body.metadata.namespace = t.namespace;
}

function get(store: Store, t: Target): KubeObject {
  const o = store.get(t.info.name, t.name!, t.namespace);
  if (!o) throw notFound(t.info, t.name!);
  return o;
}

export function getOne(store: Store, t: Target): KubeObject {
  return get(store, t);
}

export function listObjects(store: Store, t: Target, match: Predicate): KubeObject[] {
  return store.list(t.info.name, t.info.namespaced ? t.namespace : undefined).filter(match);
}

export function listBody(info: ResourceInfo, items: KubeObject[], resourceVersion: string) {
  return { kind: info.listKind, apiVersion: apiVersionOf(info), metadata: { resourceVersion }, items };
}

export function create(store: Store, t: Target, raw: string, opts: WriteOptions = {}): Reply {
  const { body: parsed, duplicates } = parseBody(raw, opts);
  checkTypeMeta(t.info, parsed);
  const { object: body, warnings } = validateObject(t.info, parsed, opts.validation ?? 'Warn', { duplicates });
  checkNamespace(t, body);
  const m = body.metadata;
  if (!m.name && !m.generateName)
    throw invalid(t.info, '', [
      {
        field: 'metadata.name',
        reason: 'FieldValueRequired',
        message: 'Required value: name or generateName is required',
      },
    ]);
  if (t.namespace && !store.get('namespaces', t.namespace)) throw notFound(infoFor('namespaces'), t.namespace);
  // Server-owned fields are never taken from the client.
  for (const f of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'deletionTimestamp', 'managedFields'])
    delete m[f];
  if (t.info.statusSubresource && t.info.custom) delete body.status;
  if (t.info.name === 'namespaces') body.status ??= { phase: 'Active' };
  t.info.validate?.(body as KubeObject);
  if (opts.dryRun) {
    if (m.name && store.get(t.info.name, m.name, t.namespace)) throw alreadyExists(t.info, m.name);
    return { code: 201, body: wouldCreate(body), warnings };
  }
  try {
    return { code: 201, body: store.create(t.info.name, body as KubeObject), warnings };
  } catch (e) {
    fromStoreError(e, t.info, m.name ?? m.generateName ?? '');
  }
}

/** Apply the status-subresource rules to the desired object. */
function scoped(t: Target, current: KubeObject, desired: JsonObject): KubeObject {
  if (t.subresource === 'status') return { ...structuredClone(current), status: desired.status } as KubeObject;
  if (t.info.statusSubresource) {
    const out = { ...desired, metadata: desired.metadata } as KubeObject;
    if (current.status === undefined) delete out.status;
    else out.status = current.status;
    return out;
  }
  return desired as KubeObject;
}

export function update(store: Store, t: Target, raw: string, opts: WriteOptions = {}): Reply {
  const { body, duplicates } = parseBody(raw, opts);
  checkTypeMeta(t.info, body);
  checkNamespace(t, body);
  if (body.metadata.name && body.metadata.name !== t.name)
    throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${t.name})`);
  body.metadata.name = t.name;
  const current = get(store, t);
  const rv = body.metadata.resourceVersion;
  if (!rv && t.info.custom)
    throw invalid(t.info, t.name!, [
      {
        field: 'metadata.resourceVersion',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: 0x0: must be specified for an update',
      },
    ]);
  if (rv && rv !== current.metadata.resourceVersion) throw conflict(t.info, t.name!);
  const scopedNext = scoped(t, current, body);
  return replaceWith(store, t, current, scopedNext, duplicates, opts);
}

export function patch(
  store: Store,
  t: Target,
  contentType: string | undefined,
  raw: string,
  opts: WriteOptions = {},
): Reply {
  const type = patchTypeFor(contentType, t.info);
  const current = store.get(t.info.name, t.name!, t.namespace);
  if (!current) {
    if (type === 'apply' && !t.subresource) {
      // An apply patch is a JSON object (applyPatch rejects anything else).
      const applied = applyPatch('apply', {}, raw) as JsonObject;
      applied.metadata = { ...objectOr(applied.metadata), name: t.name };
      return create(store, t, JSON.stringify(applied), { ...opts, contentType: 'application/json' });
    }
    throw notFound(t.info, t.name!);
  }
  const patched = applyPatch(type, current, raw);
  if (!hasMetadata(patched))
    throw status(
      422,
      'Invalid',
      `${t.info.kind} "${t.name}" is invalid: the patched object must be an object with metadata`,
    );
  // A resourceVersion in the patch is a precondition.
  if (patched.metadata.resourceVersion != null && patched.metadata.resourceVersion !== current.metadata.resourceVersion)
    throw conflict(t.info, t.name!);
  if (patched.metadata.name !== undefined && patched.metadata.name !== t.name)
    throw badRequest(
      `the name of the object (${patched.metadata.name}) does not match the name on the URL (${t.name})`,
    );
  const scopedNext = scoped(t, current, { ...patched, apiVersion: current.apiVersion, kind: current.kind });
  const duplicates = type === 'merge' || type === 'strategic' ? duplicateFields(raw) : [];
  return replaceWith(store, t, current, scopedNext, duplicates, opts);
}

/** The end of update and patch: validate the next object against the stored one, then store it (or, dry, show it). */
function replaceWith(
  store: Store,
  t: Target,
  current: KubeObject,
  scopedNext: KubeObject,
  duplicates: string[],
  opts: WriteOptions,
): Reply {
  const { object, warnings } = validateObject(t.info, scopedNext, opts.validation ?? 'Warn', {
    old: current,
    duplicates,
  });
  const next = object as KubeObject;
  next.metadata = { ...next.metadata, resourceVersion: current.metadata.resourceVersion };
  t.info.validate?.(next, current);
  if (opts.dryRun) return { code: 200, body: wouldReplace(current, next), warnings };
  try {
    return { code: 200, body: store.replace(t.info.name, next), warnings };
  } catch (e) {
    fromStoreError(e, t.info, t.name!);
  }
}

function checkPreconditions(t: Target, current: KubeObject, raw: string) {
  if (!raw.trim()) return;
  const opts = parseJsonObject(raw, 'DeleteOptions body');
  const pre = { uid: field(opts.preconditions, 'uid'), resourceVersion: field(opts.preconditions, 'resourceVersion') };
  if (pre.uid && pre.uid !== current.metadata.uid)
    throw status(
      409,
      'Conflict',
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`,
      {
        name: t.name,
        group: t.info.group,
        kind: t.info.name,
      },
    );
  if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion)
    throw status(
      409,
      'Conflict',
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
      { name: t.name, group: t.info.group, kind: t.info.name },
    );
}

function deleteObject(store: Store, info: ResourceInfo, name: string, namespace?: string): KubeObject {
  if (info.name === 'namespaces')
    for (const r of ['pods', 'events', 'roles', 'rolebindings'] as const)
      for (const o of store.list(r, name)) store.delete(r, o.metadata.name, name);
  return store.delete(info.name, name, namespace);
}

export function remove(store: Store, t: Target, raw: string, opts: WriteOptions = {}): Reply {
  const current = get(store, t);
  checkPreconditions(t, current, raw);
  if (opts.dryRun || dryRunInBody(raw)) return { code: 200, body: current };
  try {
    return { code: 200, body: deleteObject(store, t.info, t.name!, t.namespace) };
  } catch (e) {
    fromStoreError(e, t.info, t.name!);
  }
}

/** DeleteOptions may carry `dryRun: ["All"]` in the body instead of the query. */
function dryRunInBody(raw: string): boolean {
  if (!raw.trim()) return false;
  const d = parseJsonObject(raw, 'DeleteOptions body').dryRun;
  return Array.isArray(d) && d.includes('All');
}

export function removeCollection(store: Store, t: Target, match: Predicate, opts: WriteOptions = {}): Reply {
  if (opts.dryRun)
    return { code: 200, body: listBody(t.info, listObjects(store, t, match), String(store.resourceVersion())) };
  const items = listObjects(store, t, match).map((o) =>
    deleteObject(store, t.info, o.metadata.name, o.metadata.namespace),
  );
  return { code: 200, body: listBody(t.info, items, String(store.resourceVersion())) };
}

export { StatusError };
