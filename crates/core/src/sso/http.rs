//! The provider's HTTP calls go through the panel's own client (rustls with ring, no
//! redirects, time limits), and its errors are told with their causes.

use std::future::Future;

use openidconnect::{HttpRequest, HttpResponse};

/// The largest answer read from the provider.
const MAX_ANSWER: usize = 1024 * 1024;

/// A failed call to the provider.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpError(String);

/// The function `openidconnect` calls for each request.
pub fn client(
    http: &reqwest::Client,
) -> impl Fn(
    HttpRequest,
) -> std::pin::Pin<Box<dyn Future<Output = Result<HttpResponse, HttpError>> + Send>> {
    let http = http.clone();
    move |request| Box::pin(send(http.clone(), request))
}

async fn send(http: reqwest::Client, request: HttpRequest) -> Result<HttpResponse, HttpError> {
    let (parts, body) = request.into_parts();
    let mut answer = http
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await
        .map_err(|e| HttpError(chain(&e)))?;
    let mut response = http::Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        response = response.header(name, value);
    }
    let mut body = Vec::new();
    while let Some(chunk) = answer.chunk().await.map_err(|e| HttpError(chain(&e)))? {
        if body.len() + chunk.len() > MAX_ANSWER {
            return Err(HttpError("the provider's answer is too large".into()));
        }
        body.extend_from_slice(&chunk);
    }
    response.body(body).map_err(|e| HttpError(e.to_string()))
}

/// An error with its causes, `: `-separated.
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}
