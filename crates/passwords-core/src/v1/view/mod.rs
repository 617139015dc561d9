//! Rows to v1 objects at a detail level.
//!
//! A [`View`] holds the user's key and, loaded once per request and only when a detail level
//! needs them, the user's folders, tags, relations and passwords, so that a list with
//! `model+tag-ids` costs three queries however many passwords there are. How each kind is
//! rendered is in `password`, `folder` and `tag`.

use std::collections::HashMap;
use std::sync::Arc;

use foldhash::fast::RandomState;

use passwords_store::{
    FolderModel, FolderRevision, PasswordModel, PasswordRevision, TagModel, TagRevision, Tx,
};
use passwords_types::{FolderId, PasswordId, TagId, UserId};

use super::Details;
use crate::crypto::FieldKey;
use crate::error::CoreResult;

mod folder;
mod password;
mod tag;

/// The view's maps, keyed by ids: foldhash instead of SipHash, which took a tenth of a
/// 1,000-password list in lookups by tag and password id. Still seeded per process.
type Map<K, V> = HashMap<K, V, RandomState>;

/// The client name of the virtual base folder.
const SYSTEM_CLIENT: &str = "CLIENT::SYSTEM";

/// What rendering needs, loaded lazily.
pub(super) struct View {
    pub key: Arc<FieldKey>,
    pub uid: UserId,
    pub now: i64,
    folders: Option<Map<FolderId, (FolderModel, FolderRevision)>>,
    /// Folder ids in list order, by parent.
    children: Map<FolderId, Vec<FolderId>>,
    tags: Option<Map<TagId, (TagModel, TagRevision)>>,
    /// Live relations: tags of each password and passwords of each tag, in insertion order.
    tags_of: Option<Map<PasswordId, Vec<TagId>>>,
    passwords_of: Map<TagId, Vec<PasswordId>>,
    passwords: Option<Vec<(PasswordModel, PasswordRevision)>>,
    password_index: Map<PasswordId, usize>,
}

/// What a set of detail levels needs loaded.
#[derive(Clone, Copy, Default)]
pub(super) struct Needs {
    pub folders: bool,
    pub tags: bool,
    pub passwords: bool,
}

impl Needs {
    pub fn of_password(d: Details) -> Needs {
        Needs {
            folders: d.folder,
            tags: d.tags || d.tag_ids,
            passwords: false,
        }
    }

    pub fn of_folder(d: Details) -> Needs {
        Needs {
            folders: d.parent || d.folders || d.folder_ids,
            tags: d.password_tags && d.passwords,
            passwords: d.passwords || d.password_ids,
        }
    }

    pub fn of_tag(d: Details) -> Needs {
        Needs {
            folders: false,
            tags: d.passwords || d.password_ids,
            passwords: d.passwords || d.password_ids,
        }
    }
}

impl View {
    pub fn new(key: Arc<FieldKey>, uid: &UserId) -> View {
        View {
            key,
            uid: uid.clone(),
            now: crate::clock::now(),
            folders: None,
            children: Map::default(),
            tags: None,
            tags_of: None,
            passwords_of: Map::default(),
            passwords: None,
            password_index: Map::default(),
        }
    }

    /// Loads what `needs` asks for (once).
    pub async fn load(&mut self, tx: &mut dyn Tx, needs: Needs) -> CoreResult<()> {
        if needs.folders && self.folders.is_none() {
            let rows = tx.list_folders(&self.uid).await?;
            let mut map = Map::with_capacity_and_hasher(rows.len(), RandomState::default());
            for (m, r) in rows {
                self.children.entry(r.parent).or_default().push(m.uuid);
                map.insert(m.uuid, (m, r));
            }
            self.folders = Some(map);
        }
        if needs.tags && self.tags.is_none() {
            let tags = tx.list_tags(&self.uid).await?;
            self.tags = Some(tags.into_iter().map(|(m, r)| (m.uuid, (m, r))).collect());
            let links = tx.list_tag_links(&self.uid).await?;
            let mut tags_of: Map<PasswordId, Vec<TagId>> =
                Map::with_capacity_and_hasher(links.len(), RandomState::default());
            for rel in links {
                let list = tags_of.entry(rel.password).or_default();
                if !list.contains(&rel.tag) {
                    list.push(rel.tag);
                    self.passwords_of
                        .entry(rel.tag)
                        .or_default()
                        .push(rel.password);
                }
            }
            self.tags_of = Some(tags_of);
        }
        if needs.passwords && self.passwords.is_none() {
            let rows = tx.list_passwords(&self.uid).await?;
            self.password_index = rows
                .iter()
                .enumerate()
                .map(|(i, (m, _))| (m.uuid, i))
                .collect();
            self.passwords = Some(rows);
        }
        Ok(())
    }
}
