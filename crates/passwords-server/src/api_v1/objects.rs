//! What the password, folder and tag routes share: the merged parameters as an extractor,
//! and reading ids, detail levels, criteria and revisions from them.

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::request::Parts;
use passwords_core::v1::{Criteria, Details, RevisionParam};
use passwords_core::CoreError;
use serde_json::Value;

use crate::error::{ApiError, V1Error};
use crate::extract::params::Params;
use crate::state::AppState;

/// The merged request parameters (query, form body, JSON body), with v1 error bodies.
pub(super) struct V1Params(pub Params);

impl FromRequest<AppState> for V1Params {
    type Rejection = V1Error;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body): (Parts, Body) = req.into_parts();
        let params = Params::read(
            &parts.method,
            parts.uri.query(),
            &parts.headers,
            body,
            state.options.body_limit,
        )
        .await?;
        Ok(V1Params(params))
    }
}

impl V1Params {
    /// `details`, default `model`.
    pub fn details(&self) -> Result<Details, V1Error> {
        Ok(match self.0.text("details")? {
            Some(d) if !d.trim().is_empty() => Details::parse(&d),
            _ => Details::MODEL,
        })
    }

    /// The `id` of the object a request is about: text that is no UUID names nothing (404).
    pub fn id<T: std::str::FromStr>(&self) -> Result<T, V1Error> {
        self.0
            .text("id")?
            .and_then(|t| t.trim().parse().ok())
            .ok_or(V1Error(ApiError::Core(CoreError::NotFound)))
    }

    /// The optional `revision`.
    pub fn revision(&self) -> Result<RevisionParam, V1Error> {
        Ok(RevisionParam::parse(self.0.text("revision")?.as_deref()))
    }

    /// The `criteria` object of `find` (missing or null: no criteria).
    pub fn criteria(&self, resource: passwords_core::v1::Resource) -> Result<Criteria, V1Error> {
        match self.0.raw("criteria") {
            None | Some(Value::Null) => Ok(Criteria::parse(resource, None)?),
            Some(Value::Object(map)) => Ok(Criteria::parse(resource, Some(map))?),
            Some(Value::Array(a)) if a.is_empty() => Ok(Criteria::parse(resource, None)?),
            Some(_) => Err(V1Error(ApiError::Core(CoreError::InvalidInput(
                "Invalid value for field \"criteria\"".into(),
            )))),
        }
    }
}
