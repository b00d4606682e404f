// react-query keys, in one place so the live stream invalidates exactly what a change touches.
export const keys = {
  pools: ['pools'] as const,
  pool: (name: string) => ['pool', name] as const,
  poolAll: ['pool'] as const,
  nodes: ['nodes'] as const,
  node: (name: string) => ['node', name] as const,
  drift: (node: string) => ['drift', node] as const,
  file: (node: string, path: string, reveal: boolean) => ['file', node, path, reveal] as const,
  fileAll: (node: string) => ['file', node] as const,
  machineConfigs: ['machineconfigs'] as const,
  machineConfig: (name: string) => ['machineconfig', name] as const,
  compare: (from: string, to: string) => ['compare', from, to] as const,
  policy: (node: string, path: string) => ['policy', node, path] as const,
  whoami: ['whoami'] as const,
};
