//! The manifest builders: behaviour (Given/When/Then), snapshots of whole objects, and the
//! Kubernetes JSON schemas (with `kubernetes-validate`, when installed).

use std::collections::BTreeMap;

use cluster::{
    ConsoleInput, Expose, InitContainer, PlanSpec, ServerSpec, TemplateSpec, VarDef, build,
    jvm_memory_mib,
};
use uuid::Uuid;

fn paper() -> TemplateSpec {
    TemplateSpec {
        slug: "paper".into(),
        image: "itzg/minecraft-server:java21".into(),
        startup_command: None,
        fixed_env: BTreeMap::from([
            ("EULA".into(), "TRUE".into()),
            ("TYPE".into(), "PAPER".into()),
        ]),
        variables: vec![
            VarDef {
                name: "VERSION".into(),
                description: "Minecraft version".into(),
                default: Some("LATEST".into()),
                required: true,
                rule: Some("^(LATEST|[0-9]+\\.[0-9]+(\\.[0-9]+)?)$".into()),
                user_editable: true,
                label: None,
                kind: Default::default(),
            },
            VarDef {
                name: "MOTD".into(),
                description: "Message of the day".into(),
                default: None,
                required: false,
                rule: None,
                user_editable: true,
                label: None,
                kind: Default::default(),
            },
            VarDef {
                name: "ENABLE_RCON".into(),
                description: "RCON".into(),
                default: Some("true".into()),
                required: true,
                rule: None,
                user_editable: false,
                label: None,
                kind: Default::default(),
            },
        ],
        console: ConsoleInput::Attach,
        started_pattern: "Done \\([0-9.]+s\\)!".into(),
        stop_command: "stop".into(),
        stop_timeout_secs: 60,
        data_path: "/data".into(),
        game_port: 25565,
        health_command: vec!["mc-health".into()],
        init: None,
        extra_ports: vec![],
    }
}

fn server(running: bool) -> ServerSpec {
    ServerSpec {
        id: Uuid::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0),
        object_name: "mc-123456789abcdef0123456789abcdef0".into(),
        display_name: "survival".into(),
        namespace: "games".into(),
        owner: Uuid::from_u128(42),
        running,
        template: paper(),
        plan: PlanSpec {
            cpu_request_millis: 500,
            cpu_limit_millis: 2000,
            memory_mib: 4096,
            disk_gib: 10,
        },
        variables: BTreeMap::from([
            ("VERSION".into(), "1.21.4".into()),
            ("MOTD".into(), "Hello".into()),
            ("ENABLE_RCON".into(), "false".into()),
            ("NOT_DECLARED".into(), "x".into()),
        ]),
        storage_class: None,
        expose: Expose::ClusterIp,
        node_port: None,
        extra_node_ports: BTreeMap::new(),
        hostname: None,
        wake_on_join: false,
        secret_env: Vec::new(),
    }
}

fn forge_stopped() -> ServerSpec {
    let mut s = server(false);
    s.object_name = "mc-00000000000000000000000000000042".into();
    s.display_name = "2fort".into();
    s.template.slug = "forge".into();
    s.template.fixed_env.insert("TYPE".into(), "FORGE".into());
    s.secret_env.push(cluster::SecretEnv {
        name: "CF_API_KEY".into(),
        secret: "panel-curseforge".into(),
        key: "CF_API_KEY".into(),
    });
    s.template.console = ConsoleInput::Exec {
        command: vec!["rcon-cli".into(), "{command}".into()],
    };
    s.template.init = Some(InitContainer {
        image: "busybox:1.36".into(),
        command: vec!["sh".into(), "-c".into(), "echo preparing".into()],
    });
    s.template.health_command = vec![];
    s.storage_class = Some("fast-ssd".into());
    s.expose = Expose::LoadBalancer;
    s.plan = PlanSpec {
        cpu_request_millis: 1000,
        cpu_limit_millis: 4000,
        memory_mib: 8192,
        disk_gib: 30,
    };
    s
}

/// The pod template's spec of a built StatefulSet.
fn pod_spec(m: &cluster::Manifests) -> &k8s_openapi::api::core::v1::PodSpec {
    m.statefulset
        .spec
        .as_ref()
        .unwrap()
        .template
        .spec
        .as_ref()
        .unwrap()
}

fn env_of(m: &cluster::Manifests) -> BTreeMap<String, String> {
    pod_spec(m).containers[0]
        .env
        .as_ref()
        .unwrap()
        .iter()
        .map(|e| (e.name.clone(), e.value.clone().unwrap_or_default()))
        .collect()
}

#[test]
fn running_means_one_replica_and_stopped_zero() {
    // Given the same server, When built running and stopped, Then only replicas differ
    let up = build(&server(true));
    let down = build(&server(false));
    assert_eq!(up.statefulset.spec.as_ref().unwrap().replicas, Some(1));
    assert_eq!(down.statefulset.spec.as_ref().unwrap().replicas, Some(0));
    let mut same = down.clone();
    same.statefulset.spec.as_mut().unwrap().replicas = Some(1);
    assert_eq!(same, up);
}

#[test]
fn environment_comes_from_template_variables_and_plan() {
    let env = env_of(&build(&server(true)));
    assert_eq!(env["EULA"], "TRUE");
    assert_eq!(env["TYPE"], "PAPER");
    assert_eq!(env["VERSION"], "1.21.4", "the user's value");
    assert_eq!(env["MOTD"], "Hello");
    assert_eq!(
        env["ENABLE_RCON"], "true",
        "not user-editable: the template's default wins"
    );
    assert!(
        !env.contains_key("NOT_DECLARED"),
        "undeclared values are ignored"
    );
    assert_eq!(env["MEMORY"], "3072M", "three quarters of the plan's 4 GiB");
}

#[test]
fn a_key_from_a_secret_is_referenced_never_copied_and_a_template_value_wins() {
    let mut s = server(true);
    s.secret_env.push(cluster::SecretEnv {
        name: "CF_API_KEY".into(),
        secret: "panel-curseforge".into(),
        key: "CF_API_KEY".into(),
    });
    let m = build(&s);
    let env = pod_spec(&m).containers[0].env.clone().unwrap();
    let cf = env.iter().find(|e| e.name == "CF_API_KEY").unwrap();
    assert_eq!(cf.value, None, "no value in the StatefulSet");
    let r = cf
        .value_from
        .as_ref()
        .and_then(|v| v.secret_key_ref.as_ref())
        .unwrap();
    assert_eq!(
        (r.name.as_str(), r.key.as_str(), r.optional),
        ("panel-curseforge", "CF_API_KEY", Some(true))
    );
    // a template that declares the variable itself keeps its own value
    s.template
        .fixed_env
        .insert("CF_API_KEY".into(), "own".into());
    let env = env_of(&build(&s));
    assert_eq!(env["CF_API_KEY"], "own");
}

#[test]
fn jvm_memory_leaves_room_for_the_jvm() {
    assert_eq!(jvm_memory_mib(4096), 3072);
    assert_eq!(jvm_memory_mib(1000), 704);
    assert_eq!(jvm_memory_mib(256), 256, "never below 256 MiB");
}

#[test]
fn safety_and_lifecycle_settings() {
    let m = build(&server(true));
    let spec = m.statefulset.spec.as_ref().unwrap();
    let pod = spec.template.spec.as_ref().unwrap();
    assert!(
        pod.termination_grace_period_seconds.unwrap() > 60,
        "above the stop timeout"
    );
    let sc = pod.security_context.as_ref().unwrap();
    assert_eq!(sc.run_as_non_root, Some(true));
    assert_eq!(sc.run_as_user, Some(1000));
    let c = &pod.containers[0];
    assert_eq!(c.stdin, Some(true), "attach console needs stdin");
    assert_eq!(
        c.security_context
            .as_ref()
            .unwrap()
            .allow_privilege_escalation,
        Some(false)
    );
    assert!(c.readiness_probe.as_ref().unwrap().exec.is_some());
    assert_eq!(pod.automount_service_account_token, Some(false));
    let claim = &spec.volume_claim_templates.as_ref().unwrap()[0];
    assert_eq!(
        claim
            .spec
            .as_ref()
            .unwrap()
            .resources
            .as_ref()
            .unwrap()
            .requests
            .as_ref()
            .unwrap()["storage"]
            .0,
        "10Gi"
    );
    // every object carries the server's id
    let id = "12345678-9abc-def0-1234-56789abcdef0";
    assert_eq!(
        m.statefulset.metadata.labels.as_ref().unwrap()["panel.minecraft/server-id"],
        id
    );
    assert_eq!(
        m.service.metadata.labels.as_ref().unwrap()["panel.minecraft/server-id"],
        id
    );
    assert_eq!(
        spec.selector.match_labels.as_ref().unwrap()["panel.minecraft/server-id"],
        id
    );
}

#[test]
fn exec_console_and_options() {
    let m = build(&forge_stopped());
    let pod = pod_spec(&m);
    assert_eq!(pod.containers[0].stdin, Some(false));
    assert!(
        pod.containers[0]
            .readiness_probe
            .as_ref()
            .unwrap()
            .tcp_socket
            .is_some(),
        "no health command: TCP probe"
    );
    assert_eq!(pod.init_containers.as_ref().unwrap().len(), 1);
    assert_eq!(
        m.service.spec.as_ref().unwrap().type_.as_deref(),
        Some("LoadBalancer")
    );
}

#[test]
fn a_node_port_server_gets_its_allocated_port_and_no_other_mode_does() {
    let mut s = server(true);
    s.expose = Expose::NodePort;
    s.node_port = Some(30123);
    let svc = cluster::service(&s);
    let spec = svc.spec.as_ref().unwrap();
    assert_eq!(spec.type_.as_deref(), Some("NodePort"));
    assert_eq!(spec.ports.as_ref().unwrap()[0].node_port, Some(30123));
    assert_eq!(
        spec.ports.as_ref().unwrap()[0].port,
        i32::from(s.template.game_port)
    );
    // a port kept from an earlier mode never leaks into another
    s.expose = Expose::ClusterIp;
    let svc = cluster::service(&s);
    assert_eq!(
        svc.spec.as_ref().unwrap().ports.as_ref().unwrap()[0].node_port,
        None
    );
}

#[test]
fn extra_ports_go_on_the_container_by_fixed_names_and_on_the_service_by_theirs() {
    let mut s = server(true);
    s.template.extra_ports = vec![
        cluster::ExtraPort {
            name: "bedrock".into(),
            port: 19132,
            protocol: cluster::PortProtocol::Udp,
            description: "Bedrock".into(),
        },
        cluster::ExtraPort {
            name: "map".into(),
            port: 8100,
            protocol: cluster::PortProtocol::Tcp,
            description: String::new(),
        },
    ];
    s.expose = Expose::NodePort;
    s.node_port = Some(30123);
    s.extra_node_ports = BTreeMap::from([("bedrock".into(), 30124)]);
    let m = cluster::build(&s);
    let ports = pod_spec(&m).containers[0].ports.clone().unwrap();
    let named: Vec<_> = ports
        .iter()
        .map(|p| {
            (
                p.name.clone().unwrap(),
                p.container_port,
                p.protocol.clone().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            ("minecraft".to_string(), 25565, "TCP".to_string()),
            ("extra-1".to_string(), 19132, "UDP".to_string()),
            ("extra-2".to_string(), 8100, "TCP".to_string()),
        ]
    );
    let svc = cluster::service(&s);
    let ports = svc.spec.unwrap().ports.unwrap();
    assert_eq!(ports.len(), 3);
    assert_eq!(ports[1].name.as_deref(), Some("bedrock"));
    assert_eq!(ports[1].protocol.as_deref(), Some("UDP"));
    assert_eq!(ports[1].node_port, Some(30124));
    assert_eq!(
        ports[1].target_port,
        Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String("extra-1".into()))
    );
    // a port without an allocation is left to the cluster
    assert_eq!(ports[2].node_port, None);
}

#[test]
fn behind_the_router_the_service_names_the_server_for_mc_router() {
    let mut s = server(true);
    s.expose = Expose::Hostname;
    s.hostname = Some("lobby.mc.example.org".into());
    let svc = cluster::service(&s);
    assert_eq!(
        svc.spec.as_ref().unwrap().type_.as_deref(),
        Some("ClusterIP")
    );
    let notes = svc.metadata.annotations.unwrap();
    assert_eq!(
        notes[cluster::builders::ROUTER_NAME],
        "lobby.mc.example.org"
    );
    // the name stays on the Service only
    let sts = cluster::statefulset(&s);
    assert!(
        !sts.metadata
            .annotations
            .unwrap()
            .contains_key(cluster::builders::ROUTER_NAME)
    );
}

#[test]
fn snapshots() {
    insta::assert_yaml_snapshot!("paper_running", build(&server(true)));
    insta::assert_yaml_snapshot!("forge_stopped", build(&forge_stopped()));
}

#[test]
fn manifests_pass_the_kubernetes_schemas() {
    let dir = std::env::temp_dir().join(format!("panel-manifests-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (name, s) in [("paper", server(true)), ("forge", forge_stopped())] {
        let m = build(&s);
        for (kind, v) in [
            ("sts", serde_json::to_value(&m.statefulset).unwrap()),
            ("svc", serde_json::to_value(&m.service).unwrap()),
        ] {
            let f = dir.join(format!("{name}-{kind}.json"));
            std::fs::write(&f, v.to_string()).unwrap();
            files.push(f);
        }
    }
    for (i, kind) in world_job_kinds().into_iter().enumerate() {
        let f = dir.join(format!("job-{i}.json"));
        let pod = cluster::world_jobs::job_pod(&world_job(kind));
        std::fs::write(&f, serde_json::to_value(&pod).unwrap().to_string()).unwrap();
        files.push(f);
    }
    let m = cluster::world_jobs::maintenance_pod(
        Uuid::from_u128(9),
        "mc-123456789abcdef0123456789abcdef0",
        "games",
        "/data",
        "busybox:1.36",
        900,
    );
    let f = dir.join("maintenance.json");
    std::fs::write(&f, serde_json::to_value(&m).unwrap().to_string()).unwrap();
    files.push(f);
    let out = std::process::Command::new("kubernetes-validate")
        .args(["--strict", "--kubernetes-version", "1.33.0"])
        .args(&files)
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    match out {
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "schema validation failed:\n{text}");
            assert!(!text.contains("ERROR"), "{text}");
        }
        Err(e) if std::env::var_os("PANEL_REQUIRE_KUBE_VALIDATE").is_some() => {
            panic!("kubernetes-validate is required here but could not run: {e}")
        }
        Err(_) => eprintln!(
            "kubernetes-validate not installed (pip install kubernetes-validate): skipped"
        ),
    }
}

fn world_job_kinds() -> Vec<cluster::world_jobs::JobKind> {
    use cluster::world_jobs::JobKind;
    vec![
        JobKind::Backup {
            backup: Uuid::from_u128(7),
            forget: vec!["0123abcd".into()],
            exclude: vec!["*.log".into(), "/data/logs".into()],
        },
        JobKind::Restore {
            snapshot: "0123abcd".into(),
            wipe: true,
        },
        JobKind::Forget {
            snapshots: vec!["0123abcd".into()],
        },
    ]
}

fn world_job(kind: cluster::world_jobs::JobKind) -> cluster::world_jobs::WorldJob {
    cluster::world_jobs::WorldJob {
        store: None,
        server: Uuid::from_u128(0x1234),
        object_name: "mc-123456789abcdef0123456789abcdef0".into(),
        namespace: "games".into(),
        data_path: "/data".into(),
        node: Some("node-1".into()),
        image: "restic/restic:0.18.0".into(),
        repository: "s3:https://s3.example.org/b/p/mc-123456789abcdef0123456789abcdef0".into(),
        secret: "panel-backups".into(),
        kind,
    }
}

#[test]
fn every_job_mounts_the_repositories_claim_at_their_root() {
    for kind in world_job_kinds() {
        let name = kind.name();
        let mut job = world_job(kind);
        job.repository = "/backups/mc-123456789abcdef0123456789abcdef0".into();
        job.store = Some(cluster::world_jobs::StoreClaim {
            claim: "panel-store".into(),
            mount_path: "/backups".into(),
        });
        let pod = serde_json::to_value(cluster::world_jobs::job_pod(&job)).unwrap();
        let volume = pod["spec"]["volumes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["persistentVolumeClaim"]["claimName"] == "panel-store")
            .unwrap_or_else(|| panic!("{name}: {pod}"))
            .clone();
        let mounts = pod["spec"]["containers"][0]["volumeMounts"]
            .as_array()
            .unwrap();
        assert!(
            mounts
                .iter()
                .any(|m| m["name"] == volume["name"] && m["mountPath"] == "/backups"),
            "{name}: {pod}"
        );
    }
}

#[test]
fn world_jobs_are_restricted_one_per_server_and_take_their_secrets_by_reference() {
    for kind in world_job_kinds() {
        let name = kind.name();
        let pod = serde_json::to_value(cluster::world_jobs::job_pod(&world_job(kind))).unwrap();
        // one name per server: the apiserver refuses a second job at once
        assert_eq!(
            pod["metadata"]["name"],
            "mc-123456789abcdef0123456789abcdef0-job"
        );
        assert_eq!(
            pod["metadata"]["labels"]["app.kubernetes.io/managed-by"],
            "mc-panel-jobs"
        );
        assert_eq!(
            pod["metadata"]["labels"]["app.kubernetes.io/component"],
            name
        );
        assert!(
            pod["metadata"]["labels"]
                .get("panel.minecraft/server-id")
                .is_none(),
            "not a game pod"
        );
        let spec = &pod["spec"];
        assert_eq!(spec["restartPolicy"], "Never");
        assert_eq!(
            spec["nodeName"], "node-1",
            "beside the running server (its claim may be RWO)"
        );
        assert_eq!(spec["securityContext"]["runAsNonRoot"], true);
        assert_eq!(spec["securityContext"]["runAsUser"], 1000);
        let c = &spec["containers"][0];
        assert_eq!(c["securityContext"]["readOnlyRootFilesystem"], true);
        assert_eq!(
            c["securityContext"]["capabilities"]["drop"],
            serde_json::json!(["ALL"])
        );
        assert_eq!(c["envFrom"][0]["secretRef"]["name"], "panel-backups");
        let env = c["env"].as_array().unwrap();
        assert!(
            env.iter().all(|e| e["name"] != "RESTIC_PASSWORD"),
            "the password never in the spec"
        );
        assert!(env.iter().any(|e| e["name"] == "RESTIC_REPOSITORY"));
        let mounts: Vec<&str> = c["volumeMounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["mountPath"].as_str().unwrap())
            .collect();
        if name == "forget" {
            assert_eq!(mounts, ["/tmp"], "forgetting needs no world");
        } else {
            assert_eq!(
                mounts,
                ["/data", "/tmp"],
                "the world first: the job works in it"
            );
            assert_eq!(
                spec["volumes"][0]["persistentVolumeClaim"]["claimName"],
                "data-mc-123456789abcdef0123456789abcdef0-0"
            );
        }
    }
}

#[test]
fn the_maintenance_pod_holds_the_world_where_the_game_does_and_ends_by_itself() {
    let pod = serde_json::to_value(cluster::world_jobs::maintenance_pod(
        Uuid::from_u128(9),
        "mc-123456789abcdef0123456789abcdef0",
        "games",
        "/srv/world",
        "busybox:1.36",
        900,
    ))
    .unwrap();
    assert_eq!(
        pod["metadata"]["name"],
        "mc-123456789abcdef0123456789abcdef0-files"
    );
    assert_eq!(
        pod["metadata"]["labels"]["app.kubernetes.io/managed-by"],
        "mc-panel-jobs"
    );
    let c = &pod["spec"]["containers"][0];
    // the file manager's exec names the game's container
    assert_eq!(c["name"], cluster::builders::CONTAINER);
    assert_eq!(c["volumeMounts"][0]["mountPath"], "/srv/world");
    assert_eq!(c["workingDir"], "/srv/world");
    let wait = c["command"][2].as_str().unwrap();
    assert!(wait.contains("-lt 900"), "{wait}");
    assert_eq!(c["env"][0]["name"], "PANEL_TOUCH");
    assert_eq!(pod["spec"]["restartPolicy"], "Never");
    assert_eq!(pod["spec"]["securityContext"]["runAsUser"], 1000);
    assert!(c.get("envFrom").is_none(), "no secrets");
}
