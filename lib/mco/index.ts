// lib/mco: the Machine Config Operator's rules as pure functions (no I/O, no React, no Node-only APIs).
// Used by the console server, the simulator and the browser alike.
export * from './types';
export { parseIgnition, decodeFileContents } from './ignition';
export { bytesToText, isProbablyText } from '../diff/text';
export { parseMachineConfig } from './machineconfig';
export { selectMachineConfigs, sortForMerge, mergeMachineConfigs, renderedConfigName } from './render';
export { managedPaths } from './managed';
export { attributeSources } from './attribution';
export { poolNodes, poolMembership, matchesSelector, isEmptySelector } from './pools';
export { calculatePoolStatus, poolImageBuild } from './status';
export { checkFile, driftReason, unitEnablementCheck } from './drift';
export { goFileModeString, octalMode, octalModeText } from './mode';
export { goQuote, goUnquote } from './goquote';
export { bytesEqual } from './bytes';
export * from './constants';
export { diffConfigs } from './diff';
export { isSensitive } from './sensitive';
export { explainReason } from './reason';
