//! `pods/{name}/exec` and `pods/{name}/attach` over websockets (`v4`/`v5.channel.k8s.io`).

use std::sync::Arc;

use axum::extract::Request;
use axum::response::{IntoResponse, Response};

use crate::Cluster;
use crate::status::ApiError;

/// Handles an exec or attach request.
pub async fn handle(
    _c: Arc<Cluster>,
    _ns: String,
    pod: String,
    attach: bool,
    _req: Request,
) -> Response {
    ApiError {
        code: 501,
        reason: "NotImplemented",
        message: format!(
            "fakekube: {} for pod {pod} is not implemented yet",
            if attach { "attach" } else { "exec" }
        ),
        details: None,
    }
    .into_response()
}
