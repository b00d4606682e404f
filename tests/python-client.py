# The official Python client (Debian's python3-kubernetes) against the simulated cluster, driven by
# tests/sim-python-client.test.ts: a list, a watch that sees a change made while it runs, and exec (websockets,
# v4.channel.k8s.io) with stdout, stderr and exit codes. Prints one JSON object with what it saw.
# Usage: python3 python-client.py KUBECONFIG NAMESPACE POD CONTAINER
import json
import sys
import threading
import time

from kubernetes import client, config, watch
from kubernetes.stream import stream

kubeconfig, namespace, pod, container = sys.argv[1:5]
config.load_kube_config(config_file=kubeconfig, context="admin")
core = client.CoreV1Api()
custom = client.CustomObjectsApi()
result = {}

nodes = core.list_node()
result["nodes"] = sorted(n.metadata.name for n in nodes.items)
pools = custom.list_cluster_custom_object("machineconfiguration.openshift.io", "v1", "machineconfigpools")
result["pools"] = sorted(p["metadata"]["name"] for p in pools["items"])

# Watch nodes from the list's resourceVersion; another thread labels one node once the watch is open.
target = result["nodes"][0]
label = "plumb.example.com/python-watch"


def label_node():
    time.sleep(1)
    core.patch_node(target, {"metadata": {"labels": {label: "seen"}}})


threading.Thread(target=label_node, daemon=True).start()
w = watch.Watch()
result["watch"] = None
for event in w.stream(core.list_node, resource_version=nodes.metadata.resource_version, timeout_seconds=20):
    obj = event["object"]
    if (obj.metadata.labels or {}).get(label) == "seen":
        result["watch"] = {"type": event["type"], "name": obj.metadata.name}
        w.stop()

# Exec: the preloaded form returns stdout; the streaming form gives stderr and the exit code.
result["exec_stdout"] = stream(
    core.connect_get_namespaced_pod_exec, pod, namespace, container=container,
    command=["cat", "/rootfs/etc/mco/proxy.env"], stdin=False, stdout=True, stderr=True, tty=False,
)


def run(command):
    resp = stream(
        core.connect_get_namespaced_pod_exec, pod, namespace, container=container,
        command=command, stdin=False, stdout=True, stderr=True, tty=False, _preload_content=False,
    )
    resp.run_forever(timeout=20)
    out = {"stdout": resp.read_stdout(), "stderr": resp.read_stderr(), "returncode": resp.returncode}
    resp.close()
    return out


result["exec_fail"] = run(["cat", "/rootfs/etc/no-such-file"])
result["exec_ok"] = run(["test", "-f", "/rootfs/etc/mco/proxy.env"])
print(json.dumps(result))
