//! Everything Kubernetes for the panel. This first part holds the pure manifest builders: from a
//! server's description (template, plan, variables) to its StatefulSet (with the world's volume
//! claim) and Service. No I/O here: builders are functions, tested by snapshots and validated
//! against the Kubernetes JSON schemas.

pub mod builders;
pub mod client;
pub mod labels;
pub mod model;
pub mod status;
pub mod world_jobs;

pub use builders::{
    Manifests, build, data_claim_name, jvm_memory_mib, pod_name, service, statefulset,
};
pub use client::{ClusterError, ExecOutput, ExecStream, Kube};
pub use model::{
    ArgvError, ConsoleInput, Expose, ExtraPort, InitContainer, MAX_EXTRA_PORTS, PlanSpec,
    PortProtocol, SecretEnv, ServerSpec, TemplateSpec, VarDef,
};
pub use status::{ServerState, status_of};
