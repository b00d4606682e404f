// OpenAPI v3 schemas of the built-in kinds this server serves, named as kube-apiserver names them
// (io.k8s.api.core.v1.Node, ...). Minimal but truthful: every level that lists its properties lists all of the
// upstream Go type's fields (k8s.io/api core/v1 types.go, apimachinery meta/v1 types.go, as of 1.29), so field
// validation never calls a real field unknown; deeper structures the simulator does not model are declared as
// objects that keep unknown fields, so they are accepted as they are and not checked.

import type { Schema } from './schema-types';

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const CORE = 'io.k8s.api.core.v1';
export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
/** How kube-apiserver's v3 documents embed a named type with a description of its own. */
export const embed = (name: string, description: string): Schema => ({ allOf: [ref(name)], default: {}, description });

const str = (description: string): Schema => ({ type: 'string', description });
const int = (description: string, format = 'int32'): Schema => ({ type: 'integer', format, description });
const bool = (description: string): Schema => ({ type: 'boolean', description });
const time = (description: string): Schema => ({ ...ref(`${META}.Time`), description });
const strMap = (description: string): Schema => ({
  type: 'object',
  additionalProperties: { type: 'string', default: '' },
  description,
});
const strList = (description: string): Schema => ({
  type: 'array',
  items: { type: 'string', default: '' },
  description,
});
const listOf = (name: string, description: string): Schema => ({
  type: 'array',
  items: { ...embed(name, ''), description: undefined },
  description,
});
/** A structure the simulator does not model: any object, kept as sent. */
const opaque = (description: string): Schema => ({
  type: 'object',
  description,
  'x-kubernetes-preserve-unknown-fields': true,
});
const quantityMap = (description: string): Schema => ({
  type: 'object',
  additionalProperties: ref('io.k8s.apimachinery.pkg.api.resource.Quantity'),
  description,
});
const obj = (description: string, properties: Record<string, Schema>, required?: string[]): Schema => ({
  type: 'object',
  description,
  properties,
  ...(required ? { required } : {}),
});

const API_VERSION = str(
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.',
);
const KIND = str(
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase.',
);
const OBJECT_META = embed(`${META}.ObjectMeta`, "Standard object's metadata.");
const LIST_META = embed(`${META}.ListMeta`, 'Standard list metadata.');

const condition = (what: string) =>
  obj(
    `${what} contains details for the current condition.`,
    {
      type: str('Type of the condition.'),
      status: str('Status of the condition, one of True, False, Unknown.'),
      lastHeartbeatTime: time('Last time we got an update on a given condition.'),
      lastProbeTime: time('Last time we probed the condition.'),
      lastTransitionTime: time('Last time the condition transitioned from one status to another.'),
      reason: str("(brief) reason for the condition's last transition."),
      message: str('Human readable message indicating details about last transition.'),
    },
    ['type', 'status'],
  );

const container = obj(
  'A single application container that you want to run within a pod.',
  {
    name: str('Name of the container specified as a DNS_LABEL.'),
    image: str('Container image name.'),
    command: strList('Entrypoint array. Not executed within a shell.'),
    args: strList('Arguments to the entrypoint.'),
    workingDir: str("Container's working directory."),
    ports: {
      type: 'array',
      items: opaque('ContainerPort represents a network port in a single container.'),
      description: 'List of ports to expose from the container.',
    },
    envFrom: {
      type: 'array',
      items: opaque('EnvFromSource represents the source of a set of ConfigMaps'),
      description: 'List of sources to populate environment variables in the container.',
    },
    env: {
      type: 'array',
      items: opaque('EnvVar represents an environment variable present in a Container.'),
      description: 'List of environment variables to set in the container.',
    },
    resources: opaque('Compute Resources required by this container.'),
    resizePolicy: {
      type: 'array',
      items: opaque('ContainerResizePolicy'),
      description: 'Resources resize policy for the container.',
    },
    restartPolicy: str('RestartPolicy defines the restart behavior of individual containers in a pod.'),
    volumeMounts: {
      type: 'array',
      items: opaque('VolumeMount describes a mounting of a Volume within a container.'),
      description: "Pod volumes to mount into the container's filesystem.",
    },
    volumeDevices: {
      type: 'array',
      items: opaque('volumeDevice describes a mapping of a raw block device within a container.'),
      description: 'volumeDevices is the list of block devices to be used by the container.',
    },
    livenessProbe: opaque('Periodic probe of container liveness.'),
    readinessProbe: opaque('Periodic probe of container service readiness.'),
    startupProbe: opaque('StartupProbe indicates that the Pod has successfully initialized.'),
    lifecycle: opaque('Actions that the management system should take in response to container lifecycle events.'),
    terminationMessagePath: str(
      "Path at which the file to which the container's termination message will be written is mounted.",
    ),
    terminationMessagePolicy: str('Indicate how the termination message should be populated.'),
    imagePullPolicy: str('Image pull policy. One of Always, Never, IfNotPresent.'),
    securityContext: opaque('SecurityContext defines the security options the container should be run with.'),
    stdin: bool('Whether this container should allocate a buffer for stdin in the container runtime.'),
    stdinOnce: bool(
      'Whether the container runtime should close the stdin channel after it has been opened by a single attach.',
    ),
    tty: bool("Whether this container should allocate a TTY for itself, also requires 'stdin' to be true."),
  },
  ['name'],
);

const SCHEMAS: Record<string, Schema> = {
  [`${META}.Time`]: {
    type: 'string',
    format: 'date-time',
    description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.',
  },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': {
    description: 'Quantity is a fixed-point representation of a number.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  },
  [`${META}.ObjectMeta`]: obj(
    'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
    {
      name: str('Name must be unique within a namespace.'),
      generateName: str(
        'GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.',
      ),
      namespace: str('Namespace defines the space within which each name must be unique.'),
      selfLink: str('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.'),
      uid: str('UID is the unique in time and space value for this object.'),
      resourceVersion: str('An opaque value that represents the internal version of this object.'),
      generation: int('A sequence number representing a specific generation of the desired state.', 'int64'),
      creationTimestamp: time(
        'CreationTimestamp is a timestamp representing the server time when this object was created.',
      ),
      deletionTimestamp: time('DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted.'),
      deletionGracePeriodSeconds: int(
        'Number of seconds allowed for this object to gracefully terminate before it will be removed from the system.',
        'int64',
      ),
      labels: strMap(
        'Map of string keys and values that can be used to organize and categorize (scope and select) objects.',
      ),
      annotations: strMap(
        'Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata.',
      ),
      ownerReferences: {
        type: 'array',
        items: { ...ref(`${META}.OwnerReference`) },
        description: 'List of objects depended by this object.',
        'x-kubernetes-patch-merge-key': 'uid',
        'x-kubernetes-patch-strategy': 'merge',
      },
      finalizers: {
        ...strList('Must be empty before the object is deleted from the registry.'),
        'x-kubernetes-patch-strategy': 'merge',
      },
      managedFields: {
        type: 'array',
        items: ref(`${META}.ManagedFieldsEntry`),
        description:
          'ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.',
      },
    },
  ),
  [`${META}.OwnerReference`]: obj(
    'OwnerReference contains enough information to let you identify an owning object.',
    {
      apiVersion: str('API version of the referent.'),
      kind: str('Kind of the referent.'),
      name: str('Name of the referent.'),
      uid: str('UID of the referent.'),
      controller: bool('If true, this reference points to the managing controller.'),
      blockOwnerDeletion: bool(
        'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.',
      ),
    },
    ['apiVersion', 'kind', 'name', 'uid'],
  ),
  [`${META}.ManagedFieldsEntry`]: obj(
    'ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.',
    {
      manager: str('Manager is an identifier of the workflow managing these fields.'),
      operation: str('Operation is the type of operation which lead to this ManagedFieldsEntry being created.'),
      apiVersion: str('APIVersion defines the version of this resource that this field set applies to.'),
      time: time('Time is the timestamp of when the ManagedFields entry was added.'),
      fieldsType: str('FieldsType is the discriminator for the different fields format and version.'),
      fieldsV1: opaque('FieldsV1 holds the first JSON version format as described in the "FieldsV1" type.'),
      subresource: str('Subresource is the name of the subresource used to update that object.'),
    },
  ),
  [`${META}.ListMeta`]: obj(
    'ListMeta describes metadata that synthetic resources must have, including lists and various status objects.',
    {
      selfLink: str('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.'),
      resourceVersion: str("String that identifies the server's internal version of this object."),
      continue: str('continue may be set if the user set a limit on the number of items returned.'),
      remainingItemCount: int(
        'remainingItemCount is the number of subsequent items in the list which are not included in this list response.',
        'int64',
      ),
    },
  ),
  [`${META}.Status`]: {
    ...obj("Status is a return value for calls that don't return other objects.", {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: embed(`${META}.ListMeta`, 'Standard list metadata.'),
      status: str('Status of the operation. One of: "Success" or "Failure".'),
      message: str('A human-readable description of the status of this operation.'),
      reason: str('A machine-readable description of why this operation is in the "Failure" status.'),
      details: opaque('Extended data associated with the reason.'),
      code: int('Suggested HTTP return code for this status, 0 if not set.'),
    }),
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }],
  },
  [`${META}.DeleteOptions`]: obj('DeleteOptions may be provided when deleting an API object.', {
    apiVersion: API_VERSION,
    kind: KIND,
    dryRun: strList('When present, indicates that modifications should not be persisted.'),
    gracePeriodSeconds: int('The duration in seconds before the object should be deleted.', 'int64'),
    orphanDependents: bool('Deprecated: please use the PropagationPolicy.'),
    preconditions: opaque('Must be fulfilled before a deletion is carried out.'),
    propagationPolicy: str('Whether and how garbage collection will be performed.'),
  }),
  [`${META}.Patch`]: {
    type: 'object',
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
  },
  [`${CORE}.Taint`]: obj(
    'The node this Taint is attached to has the "effect" on any pod that does not tolerate the Taint.',
    {
      key: str('Required. The taint key to be applied to a node.'),
      value: str('The taint value corresponding to the taint key.'),
      effect: str('Required. The effect of the taint on pods that do not tolerate the taint.'),
      timeAdded: time('TimeAdded represents the time at which the taint was added.'),
    },
    ['key', 'effect'],
  ),
  [`${CORE}.NodeCondition`]: condition('NodeCondition'),
  [`${CORE}.NodeAddress`]: obj(
    "NodeAddress contains information for the node's address.",
    {
      type: str('Node address type, one of Hostname, ExternalIP or InternalIP.'),
      address: str('The node address.'),
    },
    ['type', 'address'],
  ),
  [`${CORE}.NodeSpec`]: obj('NodeSpec describes the attributes that a node is created with.', {
    podCIDR: str('PodCIDR represents the pod IP range assigned to the node.'),
    podCIDRs: strList('podCIDRs represents the IP ranges assigned to the node for usage by Pods on that node.'),
    providerID: str('ID of the node assigned by the cloud provider.'),
    unschedulable: bool('Unschedulable controls node schedulability of new pods. By default, node is schedulable.'),
    taints: listOf(`${CORE}.Taint`, "If specified, the node's taints."),
    configSource: opaque(
      "Deprecated: Previously used to specify the source of the node's configuration for the DynamicKubeletConfig feature.",
    ),
    externalID: str('Deprecated. Not all kubelets will set this field.'),
  }),
  [`${CORE}.NodeStatus`]: obj('NodeStatus is information about the current status of a node.', {
    capacity: quantityMap('Capacity represents the total resources of a node.'),
    allocatable: quantityMap('Allocatable represents the resources of a node that are available for scheduling.'),
    phase: str('NodePhase is the recently observed lifecycle phase of the node.'),
    conditions: {
      ...listOf(`${CORE}.NodeCondition`, 'Conditions is an array of current observed node conditions.'),
      'x-kubernetes-patch-merge-key': 'type',
      'x-kubernetes-patch-strategy': 'merge',
    },
    addresses: {
      ...listOf(`${CORE}.NodeAddress`, 'List of addresses reachable to the node.'),
      'x-kubernetes-patch-merge-key': 'type',
      'x-kubernetes-patch-strategy': 'merge',
    },
    daemonEndpoints: opaque('Endpoints of daemons running on the Node.'),
    nodeInfo: obj('Set of ids/uuids to uniquely identify the node.', {
      machineID: str('MachineID reported by the node.'),
      systemUUID: str('SystemUUID reported by the node.'),
      bootID: str('Boot ID reported by the node.'),
      kernelVersion: str("Kernel Version reported by the node from 'uname -r'."),
      osImage: str('OS Image reported by the node from /etc/os-release.'),
      containerRuntimeVersion: str('ContainerRuntime Version reported by the node through runtime remote API.'),
      kubeletVersion: str('Kubelet Version reported by the node.'),
      kubeProxyVersion: str('KubeProxy Version reported by the node.'),
      operatingSystem: str('The Operating System reported by the node'),
      architecture: str('The Architecture reported by the node'),
    }),
    images: {
      type: 'array',
      items: opaque('Describe a container image'),
      description: 'List of container images on this node',
    },
    volumesInUse: strList('List of attachable volumes in use (mounted) by the node.'),
    volumesAttached: {
      type: 'array',
      items: opaque('AttachedVolume describes a volume attached to a node'),
      description: 'List of volumes that are attached to the node.',
    },
    config: opaque('Status of the config assigned to the node via the dynamic Kubelet config feature.'),
    runtimeHandlers: {
      type: 'array',
      items: opaque('NodeRuntimeHandler is a set of runtime handler information.'),
      description: 'The available runtime handlers.',
    },
  }),
  [`${CORE}.Container`]: container,
  [`${CORE}.PodSpec`]: obj(
    'PodSpec is a description of a pod.',
    {
      volumes: {
        type: 'array',
        items: opaque('Volume represents a named volume in a pod'),
        description: 'List of volumes that can be mounted by containers belonging to the pod.',
      },
      initContainers: listOf(`${CORE}.Container`, 'List of initialization containers belonging to the pod.'),
      containers: listOf(`${CORE}.Container`, 'List of containers belonging to the pod.'),
      ephemeralContainers: {
        type: 'array',
        items: opaque('An EphemeralContainer is a temporary container'),
        description: 'List of ephemeral containers run in this pod.',
      },
      restartPolicy: str('Restart policy for all containers within the pod.'),
      terminationGracePeriodSeconds: int(
        'Optional duration in seconds the pod needs to terminate gracefully.',
        'int64',
      ),
      activeDeadlineSeconds: int(
        'Optional duration in seconds the pod may be active on the node relative to StartTime.',
        'int64',
      ),
      dnsPolicy: str('Set DNS policy for the pod.'),
      nodeSelector: strMap('NodeSelector is a selector which must be true for the pod to fit on a node.'),
      serviceAccountName: str('ServiceAccountName is the name of the ServiceAccount to use to run this pod.'),
      serviceAccount: str('DeprecatedServiceAccount is a deprecated alias for ServiceAccountName.'),
      automountServiceAccountToken: bool(
        'AutomountServiceAccountToken indicates whether a service account token should be automatically mounted.',
      ),
      nodeName: str('NodeName is a request to schedule this pod onto a specific node.'),
      hostNetwork: bool('Host networking requested for this pod.'),
      hostPID: bool("Use the host's pid namespace."),
      hostIPC: bool("Use the host's ipc namespace."),
      shareProcessNamespace: bool('Share a single process namespace between all of the containers in a pod.'),
      securityContext: opaque('SecurityContext holds pod-level security attributes and common container settings.'),
      imagePullSecrets: {
        type: 'array',
        items: opaque('LocalObjectReference'),
        description: 'ImagePullSecrets is an optional list of references to secrets.',
      },
      hostname: str('Specifies the hostname of the Pod.'),
      subdomain: str(
        'If specified, the fully qualified Pod hostname will be "<hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>".',
      ),
      affinity: opaque("If specified, the pod's scheduling constraints"),
      schedulerName: str('If specified, the pod will be dispatched by specified scheduler.'),
      tolerations: {
        type: 'array',
        items: opaque(
          'The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect>.',
        ),
        description: "If specified, the pod's tolerations.",
      },
      hostAliases: {
        type: 'array',
        items: opaque('HostAlias holds the mapping between IP and hostnames'),
        description:
          "HostAliases is an optional list of hosts and IPs that will be injected into the pod's hosts file.",
      },
      priorityClassName: str("If specified, indicates the pod's priority."),
      priority: int('The priority value.'),
      dnsConfig: opaque('Specifies the DNS parameters of a pod.'),
      readinessGates: {
        type: 'array',
        items: opaque('PodReadinessGate contains the reference to a pod condition'),
        description: 'If specified, all readiness gates will be evaluated for pod readiness.',
      },
      runtimeClassName: str('RuntimeClassName refers to a RuntimeClass object in the node.k8s.io group.'),
      enableServiceLinks: bool(
        "EnableServiceLinks indicates whether information about services should be injected into pod's environment variables.",
      ),
      preemptionPolicy: str('PreemptionPolicy is the Policy for preempting pods with lower priority.'),
      overhead: quantityMap(
        'Overhead represents the resource overhead associated with running a pod for a given RuntimeClass.',
      ),
      topologySpreadConstraints: {
        type: 'array',
        items: opaque('TopologySpreadConstraint'),
        description: 'TopologySpreadConstraints describes how a group of pods ought to spread across topology domains.',
      },
      setHostnameAsFQDN: bool("If true the pod's hostname will be configured as the pod's FQDN."),
      os: opaque('Specifies the OS of the containers in the pod.'),
      hostUsers: bool("Use the host's user namespace."),
      schedulingGates: {
        type: 'array',
        items: opaque('PodSchedulingGate'),
        description: 'SchedulingGates is an opaque list of values that if specified will block scheduling the pod.',
      },
      resourceClaims: {
        type: 'array',
        items: opaque('PodResourceClaim'),
        description:
          'ResourceClaims defines which ResourceClaims must be allocated and reserved before the Pod is allowed to start.',
      },
    },
    ['containers'],
  ),
  [`${CORE}.PodStatus`]: obj('PodStatus represents information about the status of a pod.', {
    phase: str('The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle.'),
    conditions: {
      ...listOf(`${CORE}.PodCondition`, 'Current service state of pod.'),
      'x-kubernetes-patch-merge-key': 'type',
      'x-kubernetes-patch-strategy': 'merge',
    },
    message: str('A human readable message indicating details about why the pod is in this condition.'),
    reason: str('A brief CamelCase message indicating details about why the pod is in this state.'),
    nominatedNodeName: str('nominatedNodeName is set only when this pod preempts other pods on the node.'),
    hostIP: str('hostIP holds the IP address of the host to which the pod is assigned.'),
    hostIPs: {
      type: 'array',
      items: opaque('HostIP represents a single IP address allocated to the host.'),
      description: 'hostIPs holds the IP addresses allocated to the host.',
    },
    podIP: str('podIP address allocated to the pod.'),
    podIPs: {
      type: 'array',
      items: opaque('PodIP represents a single IP address allocated to the pod.'),
      description: 'podIPs holds the IP addresses allocated to the pod.',
    },
    startTime: time('RFC 3339 date and time at which the object was acknowledged by the Kubelet.'),
    initContainerStatuses: {
      type: 'array',
      items: opaque('ContainerStatus contains details for the current status of this container.'),
      description: 'The list has one entry per init container in the manifest.',
    },
    containerStatuses: {
      type: 'array',
      items: opaque('ContainerStatus contains details for the current status of this container.'),
      description: 'The list has one entry per container in the manifest.',
    },
    qosClass: str('The Quality of Service (QOS) classification assigned to the pod based on resource requirements.'),
    ephemeralContainerStatuses: {
      type: 'array',
      items: opaque('ContainerStatus contains details for the current status of this container.'),
      description: 'Status for any ephemeral containers that have run in this pod.',
    },
    resize: str("Status of resources resize desired for pod's containers."),
    resourceClaimStatuses: {
      type: 'array',
      items: opaque('PodResourceClaimStatus'),
      description: 'Status of resource claims.',
    },
  }),
  [`${CORE}.PodCondition`]: condition('PodCondition'),
  [`${CORE}.ObjectReference`]: obj(
    'ObjectReference contains enough information to let you inspect or modify the referred object.',
    {
      kind: str('Kind of the referent.'),
      namespace: str('Namespace of the referent.'),
      name: str('Name of the referent.'),
      uid: str('UID of the referent.'),
      apiVersion: str('API version of the referent.'),
      resourceVersion: str('Specific resourceVersion to which this reference is made, if any.'),
      fieldPath: str(
        'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.',
      ),
    },
  ),
  [`${CORE}.NamespaceSpec`]: obj('NamespaceSpec describes the attributes on a Namespace.', {
    finalizers: strList(
      'Finalizers is an opaque list of values that must be empty to permanently remove object from storage.',
    ),
  }),
  [`${CORE}.NamespaceStatus`]: obj('NamespaceStatus is information about the current status of a Namespace.', {
    phase: str('Phase is the current lifecycle phase of the namespace.'),
    conditions: {
      type: 'array',
      items: condition('NamespaceCondition'),
      description: "Represents the latest available observations of a namespace's current state.",
    },
  }),
};

interface CoreKind {
  kind: string;
  description: string;
  properties: Record<string, Schema>;
}

const CORE_KINDS: CoreKind[] = [
  {
    kind: 'Node',
    description:
      'Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).',
    properties: {
      spec: embed(`${CORE}.NodeSpec`, 'Spec defines the behavior of a node.'),
      status: embed(`${CORE}.NodeStatus`, 'Most recently observed status of the node.'),
    },
  },
  {
    kind: 'Pod',
    description: 'Pod is a collection of containers that can run on a host.',
    properties: {
      spec: embed(`${CORE}.PodSpec`, 'Specification of the desired behavior of the pod.'),
      status: embed(`${CORE}.PodStatus`, 'Most recently observed status of the pod.'),
    },
  },
  {
    kind: 'Namespace',
    description: 'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
    properties: {
      spec: embed(`${CORE}.NamespaceSpec`, 'Spec defines the behavior of the Namespace.'),
      status: embed(`${CORE}.NamespaceStatus`, 'Status describes the current status of a Namespace.'),
    },
  },
  {
    kind: 'Event',
    description: 'Event is a report of an event somewhere in the cluster.',
    properties: {
      involvedObject: embed(`${CORE}.ObjectReference`, 'The object that this event is about.'),
      reason: str(
        "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
      ),
      message: str('A human-readable description of the status of this operation.'),
      source: obj('The component reporting this event.', {
        component: str('Component from which the event is generated.'),
        host: str('Node name on which the event is generated.'),
      }),
      firstTimestamp: time('The time at which the event was first recorded.'),
      lastTimestamp: time('The time at which the most recent occurrence of this event was recorded.'),
      count: int('The number of times this event has occurred.'),
      type: str('Type of this event (Normal, Warning), new types could be added in the future'),
      eventTime: { type: 'string', format: 'date-time', description: 'Time when this Event was first observed.' },
      series: obj('Data about the Event series this event represents.', {
        count: int('Number of occurrences in this series up to the last heartbeat time'),
        lastObservedTime: { type: 'string', format: 'date-time', description: 'Time of the last occurrence observed' },
      }),
      action: str('What action was taken/failed regarding to the Regarding object.'),
      related: embed(`${CORE}.ObjectReference`, 'Optional secondary object for more complex actions.'),
      reportingComponent: str('Name of the controller that emitted this Event.'),
      reportingInstance: str('ID of the controller instance.'),
    },
  },
];

/** The components.schemas of the core/v1 document: shared types, then each kind and its list. */
export function coreSchemas(): Record<string, Schema> {
  const out: Record<string, Schema> = { ...SCHEMAS };
  for (const k of CORE_KINDS) {
    const gvk = [{ group: '', kind: k.kind, version: 'v1' }];
    out[`${CORE}.${k.kind}`] = {
      type: 'object',
      description: k.description,
      properties: { apiVersion: API_VERSION, kind: KIND, metadata: OBJECT_META, ...k.properties },
      'x-kubernetes-group-version-kind': gvk,
    };
    out[`${CORE}.${k.kind}List`] = {
      type: 'object',
      description: `${k.kind}List is a list of ${k.kind}s.`,
      properties: {
        apiVersion: API_VERSION,
        items: {
          type: 'array',
          items: embed(`${CORE}.${k.kind}`, ''),
          description: `List of ${k.kind.toLowerCase()}s.`,
        },
        kind: KIND,
        metadata: LIST_META,
      },
      required: ['items'],
      'x-kubernetes-group-version-kind': [{ group: '', kind: `${k.kind}List`, version: 'v1' }],
    };
  }
  return out;
}

/** The schema name of a kind's object, e.g. `io.k8s.api.core.v1.Node`. */
export const coreSchemaName = (kind: string) => `${CORE}.${kind}`;

/** The metav1 schemas every group-version document carries (CRD documents reference them). */
export function metaSchemas(): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const [k, v] of Object.entries(SCHEMAS))
    if (k.startsWith(META) || k.startsWith('io.k8s.apimachinery')) out[k] = v;
  return out;
}
