// The simulated node side: root filesystems, the daemon pod's commands (exec), and the machine-config-daemon.
export { DiskNodeFS, MemoryNodeFS, NodeFSError, isNodeFSError, removeTree } from './nodefs';
export type { NodeFS, NodeStat, NodeFileType, NodeWatch, NodeFSErrorCode } from './nodefs';
export { createExecHandler, runCommand, podToNodePath } from './commands';
export type { ExecTarget, CommandContext } from './commands';
export { startDaemon, CURRENT_CONFIG_FILE } from './daemon';
export type { DaemonOptions, DaemonTimings, RunningDaemon } from './daemon';
export { configPlan } from './config-plan';
export { FileJournal, MemoryJournal, readJournal, sinceLastBoot, type JournalEntry, type NodeJournal } from './journal';
export type { ConfigPlan, PlannedWrite } from './config-plan';
