//! SigV4 signing with AWS's own `aws-sigv4` crate.

use std::collections::BTreeMap;
use std::time::SystemTime;

use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;

use super::credentials::Credentials;
use crate::primitives::Document;

/// Signs `request` in place: adds `Authorization`, `X-Amz-Date` and, for temporary
/// credentials, `X-Amz-Security-Token`.
pub(crate) fn sign_request(
    request: &mut http::Request<Vec<u8>>,
    credentials: &Credentials,
    signing_name: &str,
    region: &str,
    time: SystemTime,
) -> Result<(), String> {
    let aws_credentials = aws_credential_types::Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token().map(str::to_string),
        credentials.expiry(),
        "generated-client",
    );
    let identity = aws_credentials.into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(signing_name)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| format!("invalid signing parameters: {e}"))?
        .into();
    let mut headers = Vec::with_capacity(request.headers().len());
    for (name, value) in request.headers() {
        let value = value.to_str().map_err(|_| {
            format!("the header `{name}` is not visible ASCII and cannot be signed")
        })?;
        headers.push((name.as_str(), value));
    }
    let uri = request.uri().to_string();
    let signable = SignableRequest::new(
        request.method().as_str(),
        &uri,
        headers.into_iter(),
        SignableBody::Bytes(request.body()),
    )
    .map_err(|e| format!("cannot sign the request: {e}"))?;
    let (instructions, _signature) =
        sign(signable, &params).map_err(|e| format!("cannot sign the request: {e}"))?.into_parts();
    instructions.apply_to_request_http1x(request);
    Ok(())
}

/// The SigV4 signing name and region an endpoint's `authSchemes` property asks for.
pub(crate) fn auth_scheme(
    properties: &BTreeMap<String, Document>,
) -> (Option<String>, Option<String>) {
    let Some(Document::Array(schemes)) = properties.get("authSchemes") else {
        return (None, None);
    };
    for scheme in schemes {
        let Document::Object(scheme) = scheme else { continue };
        if !matches!(scheme.get("name"), Some(Document::String(name)) if name == "sigv4") {
            continue;
        }
        let text = |key: &str| match scheme.get(key) {
            Some(Document::String(s)) => Some(s.clone()),
            _ => None,
        };
        return (text("signingName"), text("signingRegion"));
    }
    (None, None)
}
