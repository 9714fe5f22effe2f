//! The kubelet half of fakekube: the pod runner ([`pods`]), which fakekube's own API drives,
//! and the node agent ([`agent`]) that puts the same runner under a real control plane as a
//! Node: it registers and renews it ([`node`]), runs the pods the scheduler binds to it
//! ([`mirror`]), provisions their volumes ([`provision`]) and serves the kubelet API the
//! apiserver proxies logs, exec and attach to ([`front`]).

pub mod agent;
mod front;
mod mirror;
mod node;
mod pods;
pub mod provision;

pub use agent::{AgentConfig, AgentError};
pub use pods::{Kubelet, PodIo, PodNetwork, Runtime, VolumeLayout, enter_netns, sweep_netns};
