// A simulated node's root filesystem: the contract (types, errors), path helpers, and its two implementations, a
// real folder on disk (the demo, editable with any editor) and an in-memory tree (large clusters). Both report
// changes to watchers, like the daemon's fsnotify on parent directories.
export type { NodeFS, NodeStat, NodeFileType, NodeWatch } from './types';
export { NodeFSError, isNodeFSError, type NodeFSErrorCode } from './errors';
export { dirname, joinSegs } from './paths';
export { MemoryNodeFS } from './memory';
export { DiskNodeFS } from './disk';
export { removeTree } from './remove-tree';
