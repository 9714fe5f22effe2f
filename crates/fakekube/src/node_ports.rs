//! Node ports, as the apiserver hands them out: a NodePort (or LoadBalancer) Service's ports get
//! one of the range 30000-32767 each, unique in the whole cluster per protocol; a port asked for
//! must be in the range and free, and ClusterIP Services may not ask for one.

use serde_json::{Value, json};

use crate::status::{ApiError, ApiResult};

/// The apiserver's default `--service-node-port-range`.
pub const RANGE: (u64, u64) = (30000, 32767);

/// Checks and fills the node ports of Service `obj` (named `name`), given every other Service
/// stored (`others`) and the one it replaces (`old`), in place.
pub fn assign<'a>(
    name: &str,
    obj: &mut Value,
    old: Option<&Value>,
    others: impl Iterator<Item = &'a Value> + Clone,
) -> ApiResult<()> {
    let ty = obj
        .pointer("/spec/type")
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP")
        .to_string();
    let wants = matches!(ty.as_str(), "NodePort" | "LoadBalancer");
    let taken = |port: u64, protocol: &str| {
        others.clone().any(|s| {
            s.pointer("/spec/ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|p| p["nodePort"].as_u64() == Some(port) && protocol_of(p) == protocol)
        })
    };
    let Some(ports) = obj.pointer_mut("/spec/ports").and_then(Value::as_array_mut) else {
        return Ok(());
    };
    for (i, p) in ports.iter_mut().enumerate() {
        let protocol = protocol_of(p).to_string();
        match p["nodePort"].as_u64() {
            Some(_) if !wants => {
                return Err(ApiError::invalid(
                    "Service",
                    name,
                    format!(
                        "spec.ports[{i}].nodePort: Forbidden: may not be used when `type` is '{ty}'"
                    ),
                ));
            }
            Some(port) if !(RANGE.0..=RANGE.1).contains(&port) => {
                return Err(ApiError::invalid(
                    "Service",
                    name,
                    format!(
                        "spec.ports[{i}].nodePort: Invalid value: {port}: provided port is not in the valid range. The range of valid ports is {}-{}",
                        RANGE.0, RANGE.1
                    ),
                ));
            }
            Some(port) if taken(port, &protocol) => {
                return Err(ApiError::invalid(
                    "Service",
                    name,
                    format!(
                        "spec.ports[{i}].nodePort: Invalid value: {port}: provided port is already allocated"
                    ),
                ));
            }
            Some(_) => {}
            None if wants => {
                // keep the port this Service had, else the first free one
                let kept = old
                    .and_then(|o| o.pointer("/spec/ports").and_then(Value::as_array))
                    .into_iter()
                    .flatten()
                    .find(|o| o["name"] == p["name"] && protocol_of(o) == protocol)
                    .and_then(|o| o["nodePort"].as_u64());
                let port = kept
                    .or_else(|| (RANGE.0..=RANGE.1).find(|&n| !taken(n, &protocol)))
                    .ok_or_else(|| {
                        ApiError::invalid(
                            "Service",
                            name,
                            format!("spec.ports[{i}].nodePort: Internal error: range is full"),
                        )
                    })?;
                p["nodePort"] = json!(port);
            }
            None => {}
        }
    }
    Ok(())
}

fn protocol_of(port: &Value) -> &str {
    port["protocol"].as_str().unwrap_or("TCP")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svc(ty: &str, node_port: Option<u64>) -> Value {
        let mut port = json!({"name": "minecraft", "port": 25565, "protocol": "TCP"});
        if let Some(n) = node_port {
            port["nodePort"] = json!(n);
        }
        json!({"spec": {"type": ty, "ports": [port]}})
    }

    #[test]
    fn ports_are_checked_allocated_and_kept() {
        let held = svc("NodePort", Some(30001));
        let others = [held.clone()];
        let mut dup = svc("NodePort", Some(30001));
        let e = assign("b", &mut dup, None, others.iter()).unwrap_err();
        assert!(
            e.message.contains("provided port is already allocated"),
            "{}",
            e.message
        );
        let mut out = svc("NodePort", Some(29999));
        let e = assign("b", &mut out, None, others.iter()).unwrap_err();
        assert!(
            e.message.contains("not in the valid range"),
            "{}",
            e.message
        );
        let mut cip = svc("ClusterIP", Some(30002));
        assert!(assign("b", &mut cip, None, others.iter()).is_err());
        let mut any = svc("NodePort", None);
        assign("b", &mut any, None, others.iter()).unwrap();
        assert_eq!(any.pointer("/spec/ports/0/nodePort"), Some(&json!(30000)));
        let mut again = svc("NodePort", None);
        assign("a", &mut again, Some(&held), std::iter::empty()).unwrap();
        assert_eq!(again.pointer("/spec/ports/0/nodePort"), Some(&json!(30001)));
    }
}
