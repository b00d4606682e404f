// Node filesystem errors, named and worded like the errno values coreutils prints.
export type NodeFSErrorCode =
  'ENOENT' | 'EEXIST' | 'ENOTDIR' | 'EISDIR' | 'ENOTEMPTY' | 'EINVAL' | 'ELOOP' | 'EACCES' | 'EIO';

const ERROR_TEXT: Record<NodeFSErrorCode, string> = {
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ENOTEMPTY: 'Directory not empty',
  EINVAL: 'Invalid argument',
  ELOOP: 'Too many levels of symbolic links',
  EACCES: 'Permission denied',
  EIO: 'Input/output error',
};

export class NodeFSError extends Error {
  constructor(
    public code: NodeFSErrorCode,
    public path: string,
    detail?: string,
  ) {
    super(`${code}: ${detail ?? ERROR_TEXT[code]}, ${path}`);
    this.name = 'NodeFSError';
  }
  /** The strerror text coreutils prints, e.g. `No such file or directory`. */
  get text(): string {
    return ERROR_TEXT[this.code];
  }
}

export function isNodeFSError(err: unknown, code?: NodeFSErrorCode): err is NodeFSError {
  return err instanceof NodeFSError && (code === undefined || err.code === code);
}
