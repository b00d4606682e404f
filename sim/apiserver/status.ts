// metav1.Status error objects, with the reasons, codes and message templates a real kube-apiserver uses.
import type { ResourceInfo } from './resources';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[] };
  code: number;
}

/** An error a handler throws to answer with a Status. */
export class StatusError extends Error {
  constructor(public status: Status) {
    super(status.message);
    this.name = 'StatusError';
  }
  get code(): number {
    return this.status.code;
  }
}

export function status(code: number, reason: string, message: string, details?: Status['details']): StatusError {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) {
    const d = { ...details };
    if (!d.group) delete d.group;
    s.details = d;
  }
  return new StatusError(s);
}

/** `pods` or `machineconfigpools.machineconfiguration.openshift.io`. */
export function qualifiedResource(info: ResourceInfo): string {
  return info.group ? `${info.name}.${info.group}` : info.name;
}

export const notFound = (info: ResourceInfo, name: string) =>
  status(404, 'NotFound', `${qualifiedResource(info)} "${name}" not found`, {
    name,
    group: info.group,
    kind: info.name,
  });

export const alreadyExists = (info: ResourceInfo, name: string) =>
  status(409, 'AlreadyExists', `${qualifiedResource(info)} "${name}" already exists`, {
    name,
    group: info.group,
    kind: info.name,
  });

export const conflict = (info: ResourceInfo, name: string) =>
  status(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(info)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: info.group, kind: info.name },
  );

/** 422: `Kind[.group] "name" is invalid: field: message`. */
export function invalid(
  info: ResourceInfo,
  name: string,
  causes: { field: string; reason: string; message: string }[],
) {
  const kindQ = info.group ? `${info.kind}.${info.group}` : info.kind;
  const agg = causes.map((c) => `${c.field}: ${c.message}`);
  const text = agg.length === 1 ? agg[0] : `[${agg.join(', ')}]`;
  return status(422, 'Invalid', `${kindQ} "${name}" is invalid: ${text}`, {
    name,
    group: info.group,
    kind: info.kind,
    causes: causes.map((c) => ({ reason: c.reason, message: c.message, field: c.field })),
  });
}

export const badRequest = (message: string) => status(400, 'BadRequest', message);

export const internalError = (message: string) =>
  status(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });

export const unauthorized = () => status(401, 'Unauthorized', 'Unauthorized');

export const notFoundPath = () => status(404, 'NotFound', 'the server could not find the requested resource', {});

export const methodNotAllowed = (info: ResourceInfo, verb: string) =>
  status(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${info.kind}"`, {
    group: info.group,
    kind: info.kind,
  });

export const expired = (asked: number, oldest: number) =>
  status(410, 'Expired', `too old resource version: ${asked} (${oldest})`);

export const unsupportedPatch = (accepted: string[]) =>
  status(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );

export const tooLarge = (limit: number) =>
  status(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
