//! Pure builders: a [`ServerSpec`] in, the server's Kubernetes objects out.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::Service;
use serde_json::{Value, json};

use crate::labels;
use crate::model::{ConsoleInput, Expose, ServerSpec, TemplateSpec};

/// The name of the data volume (and of its claim template).
pub const DATA_VOLUME: &str = "data";
/// The name of the game container.
pub const CONTAINER: &str = "server";
/// The name of the game port, on the container and the Service (NetworkPolicies admit it by
/// this name, whatever its number).
pub const GAME_PORT: &str = "minecraft";
/// The Service annotation `itzg/mc-router` routes by: the name players type.
pub const ROUTER_NAME: &str = "mc-router.itzg.me/externalServerName";

/// The Service annotation that lets mc-router scale a sleeping server up when a player joins.
pub const ROUTER_WAKE: &str = "mc-router.itzg.me/autoScaleUp";

/// The variable holding the pod's address (the downward API's `status.podIP`).
pub const POD_IP: &str = "POD_IP";

/// The name of the optional init container (the installation).
pub const INIT_CONTAINER: &str = "init";
/// The non-root user the game runs as.
pub const RUN_AS: i64 = 1000;

/// Everything a server consists of in the cluster.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Manifests {
    /// The StatefulSet (with the world's volume claim template).
    pub statefulset: StatefulSet,
    /// The Service of the game port.
    pub service: Service,
}

/// All of a server's objects.
pub fn build(s: &ServerSpec) -> Manifests {
    Manifests {
        statefulset: statefulset(s),
        service: service(s),
    }
}

/// The Java heap for a plan's memory: three quarters of it (the rest is the JVM's own and the
/// container's), in 64 MiB steps, at least 256 MiB.
pub fn jvm_memory_mib(plan_memory_mib: u32) -> u32 {
    ((plan_memory_mib / 4 * 3) / 64 * 64).max(256)
}

/// The container's environment: the template's fixed values, the declared variables (the user's
/// value or the default), and `MEMORY` from the plan. Sorted by name.
pub fn environment(s: &ServerSpec) -> BTreeMap<String, String> {
    let mut env = s.template.fixed_env.clone();
    for var in &s.template.variables {
        let value = s
            .variables
            .get(&var.name)
            .filter(|_| var.user_editable)
            .cloned()
            .or_else(|| var.default.clone());
        if let Some(v) = value {
            env.insert(var.name.clone(), v);
        }
    }
    env.insert(
        "MEMORY".into(),
        format!("{}M", jvm_memory_mib(s.plan.memory_mib)),
    );
    env
}

fn probe(s: &ServerSpec, period: u32, failures: u32, timeout: u32) -> Value {
    let mut p =
        json!({"periodSeconds": period, "failureThreshold": failures, "timeoutSeconds": timeout});
    if s.template.health_command.is_empty() {
        p["tcpSocket"] = json!({"port": GAME_PORT});
    } else {
        p["exec"] = json!({"command": s.template.health_command});
    }
    p
}

fn from_json<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("builders produce well-formed objects (tested)")
}

/// The StatefulSet: one replica while running, resources from the plan, environment from the
/// variables, Minecraft-friendly probes, a grace period above the stop timeout, non-root.
pub fn statefulset(s: &ServerSpec) -> StatefulSet {
    let t = &s.template;
    let labels = labels::all(s);
    let values = environment(s);
    // the pod's own address, for servers that bind one address (the itzg image binds all)
    let pod_ip = (!values.contains_key(POD_IP))
        .then(|| json!({"name": POD_IP, "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}));
    // taken from Secrets: the value never appears in the StatefulSet
    let from_secrets: Vec<Value> = s
        .secret_env
        .iter()
        .filter(|e| !values.contains_key(&e.name))
        .map(|e| {
            json!({"name": e.name, "valueFrom": {"secretKeyRef": {
                "name": e.secret, "key": e.key, "optional": true}}})
        })
        .collect();
    let env: Vec<Value> = values
        .into_iter()
        .map(|(name, value)| json!({"name": name, "value": value}))
        .chain(pod_ip)
        .chain(from_secrets)
        .collect();
    let resources = json!({
        "requests": {"cpu": format!("{}m", s.plan.cpu_request_millis), "memory": format!("{}Mi", s.plan.memory_mib)},
        "limits": {"cpu": format!("{}m", s.plan.cpu_limit_millis), "memory": format!("{}Mi", s.plan.memory_mib)},
    });
    let container_security = json!({
        "allowPrivilegeEscalation": false,
        "capabilities": {"drop": ["ALL"]},
        "runAsNonRoot": true,
    });
    let mut container = json!({
        "name": CONTAINER,
        "image": t.image,
        "imagePullPolicy": "IfNotPresent",
        "stdin": matches!(t.console, ConsoleInput::Attach),
        "tty": false,
        "env": env,
        "ports": container_ports(t),
        "resources": resources,
        "volumeMounts": [{"name": DATA_VOLUME, "mountPath": t.data_path}],
        "workingDir": t.data_path,
        // Up to ten minutes to start (modpacks download a lot), then checked every 10 s.
        "startupProbe": probe(s, 10, 60, 5),
        "readinessProbe": probe(s, 10, 3, 5),
        "livenessProbe": probe(s, 30, 5, 10),
        "securityContext": container_security,
    });
    if let Some(cmd) = &t.startup_command {
        container["command"] = json!(cmd);
    }
    // A graceful stop runs the template's stop command before the signal (the kubelet waits
    // for it within the grace period). Stdin templates cannot take it from a hook; their
    // images turn SIGTERM into it (the itzg image does).
    // (a stop command starting with `-` the template's line cannot take: no hook)
    if let Some(Ok(argv)) = t.console.argv(&t.stop_command) {
        container["lifecycle"] = json!({"preStop": {"exec": {"command": argv}}});
    }
    let mut pod_spec = json!({
        "terminationGracePeriodSeconds": t.stop_timeout_secs + 30,
        "enableServiceLinks": false,
        "automountServiceAccountToken": false,
        "securityContext": {
            "runAsNonRoot": true, "runAsUser": RUN_AS, "runAsGroup": RUN_AS, "fsGroup": RUN_AS,
            "fsGroupChangePolicy": "OnRootMismatch", "seccompProfile": {"type": "RuntimeDefault"},
        },
        "containers": [container],
    });
    if let Some(init) = &t.init {
        pod_spec["initContainers"] = json!([{
            "name": INIT_CONTAINER, "image": init.image, "command": init.command,
            "workingDir": t.data_path,
            "volumeMounts": [{"name": DATA_VOLUME, "mountPath": t.data_path}],
            "securityContext": container_security,
            "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}},
        }]);
    }
    let mut claim_spec = json!({
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": format!("{}Gi", s.plan.disk_gib)}},
    });
    if let Some(class) = &s.storage_class {
        claim_spec["storageClassName"] = json!(class);
    }
    from_json(json!({
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": s.object_name, "namespace": s.namespace, "labels": labels,
            "annotations": labels::annotations(s)},
        "spec": {
            "replicas": if s.running { 1 } else { 0 },
            "serviceName": s.object_name,
            "podManagementPolicy": "Parallel",
            "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
            "selector": {"matchLabels": labels::selector(s)},
            "template": {"metadata": {"labels": labels}, "spec": pod_spec},
            "volumeClaimTemplates": [{
                "apiVersion": "v1", "kind": "PersistentVolumeClaim",
                "metadata": {"name": DATA_VOLUME, "labels": labels},
                "spec": claim_spec,
            }],
        },
    }))
}

/// The container port name of the template's `i`th extra port (0-based): fixed names, so
/// that NetworkPolicies can admit every template's declared ports by name.
pub fn extra_port_name(i: usize) -> String {
    format!("extra-{}", i + 1)
}

/// The game port (`minecraft`) and the template's extra ports (`extra-1`...).
fn container_ports(t: &TemplateSpec) -> Value {
    let game = json!({"name": GAME_PORT, "containerPort": t.game_port, "protocol": "TCP"});
    let extra = t.extra_ports.iter().enumerate().map(|(i, p)| {
        json!({"name": extra_port_name(i), "containerPort": p.port, "protocol": p.protocol.as_str()})
    });
    Value::Array(std::iter::once(game).chain(extra).collect())
}

/// The Service of the game port and the template's extra ports.
pub fn service(s: &ServerSpec) -> Service {
    let node_port = |port: Option<u16>| match (s.expose, port) {
        (Expose::NodePort, Some(p)) => Some(p),
        _ => None,
    };
    let mut port = json!({"name": GAME_PORT, "port": s.template.game_port, "targetPort": GAME_PORT, "protocol": "TCP"});
    if let Some(p) = node_port(s.node_port) {
        port["nodePort"] = json!(p);
    }
    let mut ports = vec![port];
    for (i, extra) in s.template.extra_ports.iter().enumerate() {
        let mut port = json!({"name": extra.name, "port": extra.port,
            "targetPort": extra_port_name(i), "protocol": extra.protocol.as_str()});
        if let Some(p) = node_port(s.extra_node_ports.get(&extra.name).copied()) {
            port["nodePort"] = json!(p);
        }
        ports.push(port);
    }
    let mut annotations = labels::annotations(s);
    if let Some(host) = &s.hostname {
        annotations.insert(ROUTER_NAME.into(), host.clone());
        annotations.insert(ROUTER_WAKE.into(), s.wake_on_join.to_string());
    }
    from_json(json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": s.object_name, "namespace": s.namespace, "labels": labels::all(s),
            "annotations": annotations},
        "spec": {
            "type": s.expose.service_type(),
            "selector": labels::selector(s),
            "ports": ports,
            // a server's one pod takes players as soon as it listens (the panel shows it
            // running from its started line), not a readiness period later
            "publishNotReadyAddresses": true,
        },
    }))
}

/// The name of a server's data claim (made from the claim template for pod 0).
pub fn data_claim_name(object_name: &str) -> String {
    format!("{DATA_VOLUME}-{object_name}-0")
}

/// The name of a server's pod (the StatefulSet's only replica).
pub fn pod_name(object_name: &str) -> String {
    format!("{object_name}-0")
}
