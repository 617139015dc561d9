//! API v1: tag/* (list, find, show, create, update, delete, restore): the tag fields of a
//! create or update; the handlers are the shared ones.

use axum::Router;
use passwords_core::v1::{TagInput, Tags};

use super::objects::{self, Area};
use crate::error::V1Error;
use crate::extract::params::Params;
use crate::state::AppState;

/// The routes of this area.
pub(super) fn routes() -> Router<AppState> {
    objects::listing::<Tags>().merge(objects::routes::<Tags>())
}

impl Area for Tags {
    const PATH: &'static str = "tag";

    fn input(p: &Params) -> Result<TagInput, V1Error> {
        Ok(TagInput {
            label: p.text("label")?,
            color: p.text("color")?,
            cse_type: p.text("cseType")?,
            cse_key: p.text("cseKey")?,
            edited: p.int("edited")?,
            hidden: p.boolean("hidden")?,
            favorite: p.boolean("favorite")?,
        })
    }
}
