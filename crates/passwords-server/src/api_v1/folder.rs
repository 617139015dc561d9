//! API v1: folder/* (list, find, show, create, update, delete, restore): the folder fields of
//! a create or update; the handlers are the shared ones.

use axum::Router;
use passwords_core::v1::{FolderInput, Folders};

use super::objects::{self, Area};
use crate::error::V1Error;
use crate::extract::params::Params;
use crate::state::AppState;

/// The routes of this area.
pub(super) fn routes() -> Router<AppState> {
    objects::listing::<Folders>().merge(objects::routes::<Folders>())
}

impl Area for Folders {
    const PATH: &'static str = "folder";

    fn input(p: &Params) -> Result<FolderInput, V1Error> {
        Ok(FolderInput {
            label: p.text("label")?,
            parent: p.text("parent")?,
            cse_type: p.text("cseType")?,
            cse_key: p.text("cseKey")?,
            edited: p.int("edited")?,
            hidden: p.boolean("hidden")?,
            favorite: p.boolean("favorite")?,
        })
    }
}
