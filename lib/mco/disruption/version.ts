// Which disruption behaviour an OpenShift release has, read from each MCO release branch
// (pkg/daemon/update.go, pkg/daemon/drain.go, pkg/apihelpers/apihelpers.go on release-4.14 … release-4.21).
import { McoError } from '../types';

export interface DisruptionRules {
  /** The minor version, e.g. 20 for "4.20". */
  minor: number;
  /**
   * NodeDisruptionPolicy: 'none' before 4.16 (only the legacy decision exists); 'techPreview' in 4.16 (the daemon uses
   * policies only when the NodeDisruptionPolicy feature gate is on, i.e. TechPreviewNoUpgrade); 'ga' from 4.17.
   */
  policies: 'none' | 'techPreview' | 'ga';
  /**
   * How a changed file finds its policy: 4.16 compares paths exactly, with two hard-coded exceptions for files
   * directly inside /etc/containers/registries.d (reload crio) and /etc/nmstate/openshift (nothing); 4.17+ take the
   * longest policy path that is the file or one of its parent directories (FindClosestFilePolicyPathMatch).
   */
  fileMatch: 'exact' | 'longest';
  /**
   * When the daemon considers the policy status usable: 4.16 once clusterPolicies.files is non-empty; 4.17+ once
   * status.observedGeneration equals metadata.generation.
   */
  readiness: 'populated' | 'generation';
  /** 4.16 falls back to the legacy decision when the policy status is not ready; 4.17+ fail the update. */
  legacyFallbackOnError: boolean;
  /** The fixed file lists of the legacy decision: 4.14/4.15 (files only) or 4.16+ (with two directories). */
  legacyLists: 'v4.14' | 'v4.16';
  /**
   * Order of the changed unit names (the daemon builds them from Go maps, so upstream the order within each group is
   * random; we use config order): 4.14–4.17 removed first, then added or changed (CalculateConfigUnitDiffs);
   * 4.18+ added, then changed, then removed (GetChangedConfigUnitsByType).
   */
  unitOrder: 'removedFirst' | 'byType';
  /**
   * Where the `image-registry-override-drain` ConfigMap skips the registries drain: 'legacy' (4.14–4.16, legacy
   * decision only), 'both' (4.17–4.19, policy and legacy), 'never' (4.20+, removed).
   */
  registryDrainOverride: 'legacy' | 'both' | 'never';
  /** The release branch the default cluster policies come from (they grew: 4.16, 4.17, 4.18+). */
  defaultPolicies: 'v4.16' | 'v4.17' | 'v4.18' | null;
}

/** "4.20", "4.20.3" or "4.20.0-0.nightly-…" → 20. Throws McoError for anything that is not 4.N. */
export function ocpMinor(version: string): number {
  const m = /^4\.(\d+)(?:$|[.-])/.exec(version.trim());
  if (!m) throw new McoError(`unsupported OpenShift version ${JSON.stringify(version)}: expected 4.N`);
  return Number(m[1]);
}

/** The disruption behaviour of an OpenShift version ("4.14", "4.16", "4.18", "4.20", or any 4.N). */
export function disruptionRules(version: string): DisruptionRules {
  const minor = ocpMinor(version);
  return {
    minor,
    policies: minor < 16 ? 'none' : minor === 16 ? 'techPreview' : 'ga',
    fileMatch: minor <= 16 ? 'exact' : 'longest',
    readiness: minor <= 16 ? 'populated' : 'generation',
    legacyFallbackOnError: minor === 16,
    legacyLists: minor < 16 ? 'v4.14' : 'v4.16',
    unitOrder: minor < 18 ? 'removedFirst' : 'byType',
    registryDrainOverride: minor <= 16 ? 'legacy' : minor < 20 ? 'both' : 'never',
    defaultPolicies: minor < 16 ? null : minor === 16 ? 'v4.16' : minor === 17 ? 'v4.17' : 'v4.18',
  };
}

/** Whether the daemon of this version decides by NodeDisruptionPolicy (4.16 only with the feature gate on). */
export function usesPolicies(version: string, techPreview = false): boolean {
  const r = disruptionRules(version);
  return r.policies === 'ga' || (r.policies === 'techPreview' && techPreview);
}
