//! The leader Lease: one replica of the panel runs the reconciler.

use super::{ClusterError, Kube};

impl Kube {
    /// Takes or renews the Lease `name` for `holder` (valid `secs` seconds). Returns whether
    /// `holder` holds it now. Optimistic concurrency makes two replicas unable to both win.
    pub async fn try_lease(
        &self,
        name: &str,
        holder: &str,
        secs: i32,
    ) -> Result<bool, ClusterError> {
        self.hold_lease(name, holder, secs, &mut None).await
    }

    /// [`Kube::try_lease`], remembering the Lease's version in `known` between calls: the
    /// holder's renewal is then one write, without reading the Lease first (a conflict means
    /// someone else wrote it: then it is read and decided as usual).
    pub async fn hold_lease(
        &self,
        name: &str,
        holder: &str,
        secs: i32,
        known: &mut Option<String>,
    ) -> Result<bool, ClusterError> {
        use k8s_openapi::api::coordination::v1::Lease;
        use k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime;
        let api = self.api::<Lease>();
        let now = k8s_openapi::jiff::Timestamp::now();
        let mine = |rv: Option<String>| -> Lease {
            serde_json::from_value(serde_json::json!({
                "metadata": {"name": name, "resourceVersion": rv},
                "spec": {"holderIdentity": holder, "leaseDurationSeconds": secs,
                         "renewTime": MicroTime(now), "acquireTime": MicroTime(now)},
            }))
            .expect("lease")
        };
        if let Some(rv) = known.take() {
            match api
                .replace(name, &Default::default(), &mine(Some(rv)))
                .await
            {
                Ok(l) => {
                    *known = l.metadata.resource_version;
                    return Ok(true);
                }
                Err(kube::Error::Api(s)) if s.code == 409 || s.code == 404 => {}
                Err(e) => return Err(e.into()),
            }
        }
        match api.get_opt(name).await? {
            None => match api.create(&Default::default(), &mine(None)).await {
                Ok(l) => {
                    *known = l.metadata.resource_version;
                    Ok(true)
                }
                Err(kube::Error::Api(s)) if s.code == 409 => Ok(false),
                Err(e) => Err(e.into()),
            },
            Some(lease) => {
                let spec = lease.spec.clone().unwrap_or_default();
                let held_by_me = spec.holder_identity.as_deref() == Some(holder);
                let expired = match (spec.renew_time, spec.lease_duration_seconds) {
                    (Some(MicroTime(t)), Some(d)) => now.as_second() > t.as_second() + i64::from(d),
                    _ => true,
                };
                if !held_by_me && !expired {
                    return Ok(false);
                }
                match api
                    .replace(
                        name,
                        &Default::default(),
                        &mine(lease.metadata.resource_version),
                    )
                    .await
                {
                    Ok(l) => {
                        *known = l.metadata.resource_version;
                        Ok(true)
                    }
                    Err(kube::Error::Api(s)) if s.code == 409 => Ok(false),
                    Err(e) => Err(e.into()),
                }
            }
        }
    }
}
