//! What the builders take: a server with its template and plan, as plain data.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How console commands reach the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConsoleInput {
    /// Written to the container's stdin (attach).
    Attach,
    /// Run as a command in the container; `{command}` is replaced by the console command.
    Exec {
        /// The command line, e.g. `["rcon-cli", "--", "{command}"]`: the `--` ends the
        /// program's options, so a console command that starts with `-` stays a command.
        command: Vec<String>,
    },
}

/// Why a console command cannot go through a template's exec line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArgvError {
    /// The command starts with `-` and the template's line has no `--` before it, so the
    /// program would read it as its own option (`rcon-cli --host=elsewhere` would send the
    /// RCON password away).
    #[error("On this server, console commands cannot start with \"-\".")]
    LooksLikeAnOption,
}

impl ConsoleInput {
    /// The argv that runs console command `cmd` for exec input (every `{command}` replaced;
    /// never through a shell). None for stdin input. A command starting with `-` is refused
    /// unless a `--` argument comes before the first argument that holds it.
    pub fn argv(&self, cmd: &str) -> Option<Result<Vec<String>, ArgvError>> {
        match self {
            ConsoleInput::Attach => None,
            ConsoleInput::Exec { command } => {
                let at = command.iter().position(|a| a.contains("{command}"));
                let ended = at.is_some_and(|i| command[..i].iter().any(|a| a == "--"));
                if cmd.starts_with('-') && !ended {
                    return Some(Err(ArgvError::LooksLikeAnOption));
                }
                Some(Ok(command
                    .iter()
                    .map(|a| a.replace("{command}", cmd))
                    .collect()))
            }
        }
    }
}

/// A variable a template declares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VarDef {
    /// The environment variable's name.
    pub name: String,
    /// Its name for people (`Difficulty`); the forms show `name` when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// What it means, for the create form.
    pub description: String,
    /// The kind of value (a toggle, a number in a range, one of a list; text when absent).
    #[serde(default)]
    pub kind: protocol::variables::VarKind,
    /// Value when the user gives none.
    pub default: Option<String>,
    /// Whether a value is required.
    pub required: bool,
    /// A validation rule (a regular expression the whole value must match).
    pub rule: Option<String>,
    /// Whether the server's owner may change it (else only the template sets it).
    pub user_editable: bool,
}

/// An optional container run before the server (e.g. to fetch mods).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitContainer {
    /// Image.
    pub image: String,
    /// Command and arguments.
    pub command: Vec<String>,
}

/// A template ("egg"): how to run one kind of server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSpec {
    /// Short name, e.g. `paper`.
    pub slug: String,
    /// Container image.
    pub image: String,
    /// Command overriding the image's entrypoint, if any.
    pub startup_command: Option<Vec<String>>,
    /// Environment the template always sets (e.g. `EULA=TRUE`, `TYPE=PAPER`).
    pub fixed_env: BTreeMap<String, String>,
    /// The variables users fill in.
    pub variables: Vec<VarDef>,
    /// How console input is delivered.
    pub console: ConsoleInput,
    /// A log line matching this (regular expression) means the server is up.
    pub started_pattern: String,
    /// Console command that stops the server gracefully.
    pub stop_command: String,
    /// Seconds a graceful stop may take.
    pub stop_timeout_secs: u32,
    /// Where the server's data volume is mounted.
    pub data_path: String,
    /// The game's TCP port.
    pub game_port: u16,
    /// Command that exits 0 while the server is up (probes); empty: probe the game port.
    pub health_command: Vec<String>,
    /// An optional init container.
    pub init: Option<InitContainer>,
    /// Ports players reach besides the game port (Bedrock through Geyser, a map's web page),
    /// exposed the same way as the game port; at most [`MAX_EXTRA_PORTS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_ports: Vec<ExtraPort>,
}

pub use protocol::dto::PortProtocol;

/// The most extra ports a template declares: each has a fixed container port name
/// (`extra-1`...), which the chart's NetworkPolicies admit by name.
pub const MAX_EXTRA_PORTS: usize = 4;

/// A port a template declares besides the game port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraPort {
    /// Its name on the Service (a DNS label of up to 15 characters, e.g. `bedrock`, `map`).
    pub name: String,
    /// The port the server listens on.
    pub port: u16,
    /// TCP or UDP.
    pub protocol: PortProtocol,
    /// What players use it for, as the page shows it.
    #[serde(default)]
    pub description: String,
}

/// A plan: the resources a server gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSpec {
    /// CPU request, in millicores.
    pub cpu_request_millis: u32,
    /// CPU limit, in millicores.
    pub cpu_limit_millis: u32,
    /// Memory request and limit, in MiB.
    pub memory_mib: u32,
    /// Size of the world's volume, in GiB.
    pub disk_gib: u32,
}

/// One server, everything the builders need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerSpec {
    /// The server's public id (labels, owner label).
    pub id: Uuid,
    /// The name of its objects (StatefulSet, Service; pod `<it>-0`): a DNS-1035 label made from
    /// the id, never the name a person chose.
    pub object_name: String,
    /// The name a person chose (an annotation on the StatefulSet and the Service).
    pub display_name: String,
    /// The game-servers namespace.
    pub namespace: String,
    /// The owner's id.
    pub owner: Uuid,
    /// Whether it should run (replicas 1) or not (0).
    pub running: bool,
    /// How to run it.
    pub template: TemplateSpec,
    /// What it gets.
    pub plan: PlanSpec,
    /// The user's values of the template's variables.
    pub variables: BTreeMap<String, String>,
    /// Storage class of the volume (None: the cluster's default).
    pub storage_class: Option<String>,
    /// How the game port is exposed.
    pub expose: Expose,
    /// The node port of the game port in [`Expose::NodePort`] (None: the cluster picks one).
    #[serde(default)]
    pub node_port: Option<u16>,
    /// The node ports of the template's extra ports, by port name, in [`Expose::NodePort`]
    /// (one missing: the cluster picks it).
    #[serde(default)]
    pub extra_node_ports: BTreeMap<String, u16>,
    /// The name players join with through the router in [`Expose::Hostname`]
    /// (`<server name>.<domain>`), written on the Service for mc-router.
    #[serde(default)]
    pub hostname: Option<String>,
    /// Whether mc-router may wake it (scale it up) when a player joins it while it sleeps.
    #[serde(default)]
    pub wake_on_join: bool,
    /// Variables the container takes from Secrets (a template's own variable of the same name
    /// wins).
    #[serde(default)]
    pub secret_env: Vec<SecretEnv>,
}

/// An environment variable taken from a key of a Secret in the game-servers namespace. It is
/// optional: without the Secret or the key the variable is not set and the pod starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretEnv {
    /// The variable.
    pub name: String,
    /// The Secret.
    pub secret: String,
    /// Its key.
    pub key: String,
}

/// The Service type of the game port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Expose {
    /// Reachable inside the cluster only (behind a proxy such as Velocity or a TCP ingress).
    #[default]
    ClusterIp,
    /// A port on every node.
    NodePort,
    /// A cloud load balancer.
    LoadBalancer,
    /// Behind `itzg/mc-router`: one public port for every server, routed by the name the
    /// player typed (the Service is a ClusterIP one, annotated with that name).
    Hostname,
}

impl Expose {
    /// The Kubernetes Service type.
    pub fn service_type(self) -> &'static str {
        match self {
            Expose::ClusterIp | Expose::Hostname => "ClusterIP",
            Expose::NodePort => "NodePort",
            Expose::LoadBalancer => "LoadBalancer",
        }
    }
}
