// A disruption decision in words for the console: the overall effect on each node ("Reboot, drains each node",
// "Reload crio.service on each node, no drain, no reboot") and, per changed file, unit or SSH key, its action.
import type { DisruptionDecision, FileDecision, RebootCause, UnitDecision } from './decide';
import type { DisruptionAction, LegacyAction } from './types';

/** One action in words: "Reboot", "Reload crio.service", "Restart kubelet.service", "systemd daemon-reload", … */
export function describeAction(a: DisruptionAction): string {
  switch (a.type) {
    case 'Reboot':
      return 'Reboot';
    case 'Drain':
      return 'Drain';
    case 'Reload':
      return `Reload ${a.reload?.serviceName ?? '(no service)'}`;
    case 'Restart':
      return `Restart ${a.restart?.serviceName ?? '(no service)'}`;
    case 'DaemonReload':
      return 'systemd daemon-reload';
    // The daemon reloads crio for Special and drains unless the registries change is safe (drain.go).
    case 'Special':
      return 'Reload crio (registries.conf)';
    case 'None':
      return 'None';
  }
}

/** A list of actions in order: "Restart coreos-update-ca-trust.service, then restart crio.service". */
export function describeActions(actions: DisruptionAction[]): string {
  if (actions.length === 0) return 'Nothing';
  return actions.map((a, i) => (i === 0 ? describeAction(a) : lowerFirst(describeAction(a)))).join(', then ');
}

const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s[0].toLowerCase() + s.slice(1) : s);

const LEGACY_WORDS: Record<LegacyAction, string> = {
  none: 'None',
  'reload crio': 'Reload crio',
  'restart crio': 'Run update-ca-trust, then restart crio',
  reboot: 'Reboot',
};

export function describeLegacyAction(a: LegacyAction): string {
  return LEGACY_WORDS[a];
}

/** Why it reboots, in words ("kernel arguments changed", "no policy for /etc/foo.conf"). */
export function describeRebootCause(c: RebootCause): string {
  switch (c.kind) {
    case 'forceFile':
      return 'the force file /run/machine-config-daemon-force is present';
    case 'osImageURL':
      return 'the OS image changed';
    case 'kernelArguments':
      return 'kernel arguments changed';
    case 'fips':
      return 'FIPS changed';
    case 'kernelType':
      return 'the kernel type changed';
    case 'extensions':
      return 'extensions changed';
    case 'units':
      return 'a systemd unit changed';
    case 'fileWithoutPolicy':
      return `no policy for ${c.path}`;
    case 'unitWithoutPolicy':
      return `no policy for unit ${c.name}`;
    case 'policy':
      return c.path
        ? `the policy for ${c.path} says Reboot`
        : c.unit
          ? `the policy for unit ${c.unit} says Reboot`
          : 'the sshkey policy says Reboot';
  }
}

/**
 * The overall effect on each node:
 * - "Reboot, drains each node";
 * - "Reload crio.service on each node, no drain, no reboot" (several actions joined with ", then ");
 * - "Drain, then reload crio.service on each node, drains each node, no reboot" when a drain is needed;
 * - "No action on the nodes, no drain, no reboot" for [None] or an empty list;
 * - with `error` set: "Update fails: <error>".
 */
export function describeDecision(d: DisruptionDecision): string {
  if (d.error) return `Update fails: ${d.error}`;
  if (d.reboot) return d.drain ? 'Reboot, drains each node' : 'Reboot, no drain';
  const words =
    d.mode === 'legacy'
      ? (d.legacyActions ?? []).filter((a) => a !== 'none').map(describeLegacyAction)
      : d.actions
          .filter((a) => a.type !== 'None')
          .map((a, i) => (i === 0 ? describeAction(a) : lowerFirst(describeAction(a))));
  const drain = d.drain ? 'drains each node' : 'no drain';
  if (words.length === 0) return `No action on the nodes, ${drain}, no reboot`;
  return `${words.join(', then ')} on each node, ${drain}, no reboot`;
}

/** What one changed file asks for, in words ("Reload crio.service", "Reboot (no policy)", "None"). */
export function describeFileDecision(f: FileDecision, mode: DisruptionDecision['mode']): string {
  if (mode === 'legacy') return describeLegacyAction(f.legacy ?? 'reboot');
  if (!f.policy && f.actions.length === 1 && f.actions[0].type === 'Reboot') return 'Reboot (no policy)';
  const via = f.policy && f.policy.path !== f.path ? ` (policy for ${f.policy.path})` : '';
  return `${describeActions(f.actions)}${via}`;
}

export function describeUnitDecision(u: UnitDecision, mode: DisruptionDecision['mode']): string {
  if (mode === 'legacy') return 'Reboot';
  if (!u.policy) return 'Reboot (no policy)';
  return describeActions(u.actions);
}

/** The SSH key line: the sshkey policy's actions (legacy: "None"; the legacy decision ignores passwd). */
export function describeSshKey(d: DisruptionDecision): string {
  if (d.mode === 'legacy') return 'None';
  return describeActions(d.sshkey.actions);
}
