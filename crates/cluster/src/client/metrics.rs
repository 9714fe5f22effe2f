//! Resource use from the metrics API, and Kubernetes quantities.

use super::{ClusterError, Kube};

impl Kube {
    /// The pod's CPU (millicores) and memory (MiB) in use, from the metrics API
    /// (`metrics.k8s.io`, served by metrics-server); None when the cluster has no metrics for it.
    pub async fn pod_usage(&self, pod: &str) -> Result<Option<(u64, u64)>, ClusterError> {
        let url = format!(
            "/apis/metrics.k8s.io/v1beta1/namespaces/{}/pods/{pod}",
            self.namespace
        );
        let req = http::Request::get(url)
            .body(Vec::new())
            .map_err(|e| ClusterError::Config(e.to_string()))?;
        match self.client.request::<serde_json::Value>(req).await {
            Ok(v) => {
                let (mut cpu, mut mem) = (0, 0);
                for c in v["containers"].as_array().into_iter().flatten() {
                    cpu += cpu_millis(c["usage"]["cpu"].as_str().unwrap_or("0")).unwrap_or(0);
                    mem += memory_mib(c["usage"]["memory"].as_str().unwrap_or("0")).unwrap_or(0);
                }
                Ok(Some((cpu, mem)))
            }
            Err(kube::Error::Api(s)) if s.code == 404 || s.code == 503 => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

/// A CPU quantity (`250m`, `1`, `12345n`, `7u`) in millicores.
pub fn cpu_millis(q: &str) -> Option<u64> {
    let (num, scale) = match q.char_indices().last()? {
        (i, 'n') => (&q[..i], 1e-6),
        (i, 'u') => (&q[..i], 1e-3),
        (i, 'm') => (&q[..i], 1.0),
        _ => (q, 1000.0),
    };
    Some((num.parse::<f64>().ok()? * scale).round() as u64)
}

/// A memory quantity (`51200Ki`, `512Mi`, `1Gi`, `1000000`, `1M`) in MiB.
pub fn memory_mib(q: &str) -> Option<u64> {
    let units: [(&str, f64); 8] = [
        ("Ki", 1024.0),
        ("Mi", 1024.0 * 1024.0),
        ("Gi", 1024.0 * 1024.0 * 1024.0),
        ("Ti", 1024.0 * 1024.0 * 1024.0 * 1024.0),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
    ];
    let (num, scale) = units
        .iter()
        .find_map(|(u, s)| q.strip_suffix(u).map(|n| (n, *s)))
        .unwrap_or((q, 1.0));
    Some((num.parse::<f64>().ok()? * scale / (1024.0 * 1024.0)).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        assert_eq!(cpu_millis("250m"), Some(250));
        assert_eq!(cpu_millis("2"), Some(2000));
        assert_eq!(cpu_millis("12345678n"), Some(12));
        assert_eq!(cpu_millis("1500u"), Some(2));
        assert_eq!(cpu_millis("x"), None);
        assert_eq!(memory_mib("51200Ki"), Some(50));
        assert_eq!(memory_mib("2Gi"), Some(2048));
        assert_eq!(memory_mib("1048576"), Some(1));
        assert_eq!(memory_mib("100M"), Some(95));
    }
}
