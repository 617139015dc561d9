//! Reading a backup file as a stream: gzip → JSON → one entry at a time, so that a file of
//! any size is checked and restored in bounded memory. The small parts (`accounts`, `keys`,
//! `settings`) come whole; the entity arrays one entry at a time.
//!
//! The file must start with its header (`format`, `formatVersion`, `version`): every other
//! key is refused until the header says the file is a backup this build can read, so that an
//! unsupported file gets the version error rather than a schema error.

use std::fmt;
use std::io::{BufReader, Read};

use flate2::read::MultiGzDecoder;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde::Deserializer as _;

use super::format::*;
use super::BackupError;

/// One part of a backup file, in file order.
#[derive(Debug)]
pub enum Part {
    Header(Header),
    Accounts(Vec<AccountEntry>),
    Keys(Keys),
    Settings(Settings),
    Password(PasswordEntry),
    Folder(FolderEntry),
    Tag(TagEntry),
    Share(ShareEntry),
    Relation(RelationEntry),
}

/// What receives the parts; an `Err` stops the reading with that error.
pub type Sink<'a> = dyn FnMut(Part) -> Result<(), BackupError> + 'a;

/// Reads a gzip-compressed backup from `input`, handing every part to `sink`.
pub fn read_gzip(input: impl Read, sink: &mut Sink<'_>) -> Result<(), BackupError> {
    let mut input = BufReader::with_capacity(1 << 16, input);
    let head = std::io::BufRead::fill_buf(&mut input)
        .map_err(|e| BackupError::Invalid(format!("The backup file cannot be read: {e}")))?;
    if !head.starts_with(&[0x1f, 0x8b]) {
        return Err(BackupError::Invalid(
            "The backup file is not gzip-compressed".into(),
        ));
    }
    read_json(
        BufReader::with_capacity(1 << 16, MultiGzDecoder::new(input)),
        sink,
    )
}

/// Reads an uncompressed backup (JSON) from `input`.
pub fn read_json(input: impl Read, sink: &mut Sink<'_>) -> Result<(), BackupError> {
    let mut state = State {
        sink,
        failure: None,
        context: None,
        header: HeaderState::Missing,
        keys_seen: false,
    };
    let mut de = serde_json::Deserializer::from_reader(input);
    let outcome = de
        .deserialize_map(TopVisitor { state: &mut state })
        .and_then(|()| de.end());
    match (state.failure.take(), outcome) {
        (Some(failure), _) => Err(failure),
        (None, Err(e)) if e.is_io() || e.is_eof() => Err(BackupError::Invalid(format!(
            "The backup file is truncated or its compressed data is corrupt ({e})"
        ))),
        (None, Err(e)) if e.is_syntax() => Err(BackupError::Invalid(format!(
            "Backup file is not valid JSON: {e}"
        ))),
        (None, Err(e)) => Err(BackupError::Invalid(match state.context.take() {
            Some(place) => format!("The backup is not valid: {place}: {e}"),
            None => format!("The backup is not valid: {e}"),
        })),
        (None, Ok(())) => {
            state.require_header()?;
            if !state.keys_seen {
                return Err(not_a_backup());
            }
            Ok(())
        }
    }
}

fn header_missing() -> BackupError {
    BackupError::Invalid(
        "The file does not contain a valid server backup (it must start with \"format\", \
         \"formatVersion\" and \"version\")"
            .into(),
    )
}

fn not_a_backup() -> BackupError {
    BackupError::Invalid("The file does not contain a valid server backup".into())
}

#[derive(Default)]
struct HeaderFields {
    format: Option<String>,
    format_version: Option<u32>,
    version: Option<u32>,
    created: Option<i64>,
    app_version: Option<String>,
    backend: Option<String>,
}

enum HeaderState {
    Missing,
    Reading(HeaderFields),
    Done,
}

struct State<'s, 'a> {
    sink: &'s mut Sink<'a>,
    failure: Option<BackupError>,
    /// Where a schema error happened (e.g. `passwords entry 3`).
    context: Option<String>,
    header: HeaderState,
    keys_seen: bool,
}

impl State<'_, '_> {
    /// The header is complete and supported (checked once, before the first other key).
    fn require_header(&mut self) -> Result<(), BackupError> {
        let fields = match std::mem::replace(&mut self.header, HeaderState::Done) {
            HeaderState::Done => return Ok(()),
            HeaderState::Missing => HeaderFields::default(),
            HeaderState::Reading(f) => f,
        };
        let header = check_header(fields)?;
        (self.sink)(Part::Header(header))
    }

    fn fail<E: de::Error>(&mut self, error: BackupError) -> E {
        let text = error.to_string();
        self.failure.get_or_insert(error);
        E::custom(text)
    }
}

fn check_header(f: HeaderFields) -> Result<Header, BackupError> {
    match (&f.format, f.version) {
        (None, Some(v)) if v < 100 => {
            return Err(BackupError::Invalid(
                "This seems to be a client backup. It can only be restored using the web \
                 interface"
                    .into(),
            ))
        }
        (None, Some(_)) => {
            return Err(BackupError::Invalid(
                "This is a backup of the Nextcloud Passwords app, not of this server: \
                 bring it in with `passwords backup import FILE`"
                    .into(),
            ))
        }
        (Some(format), _) if format == FORMAT => {}
        (Some(_), _) => return Err(not_a_backup()),
        (None, None) => return Err(header_missing()),
    }
    let format_version = f.format_version.ok_or_else(header_missing)?;
    if format_version == 0 || format_version > FORMAT_VERSION {
        return Err(BackupError::Invalid(format!(
            "Unsupported backup version: {format_version}"
        )));
    }
    let version = f.version.ok_or_else(header_missing)?;
    if version != REFERENCE_VERSION {
        return Err(BackupError::Invalid(format!(
            "Unsupported backup version: {version}"
        )));
    }
    Ok(Header {
        format: FORMAT.to_owned(),
        format_version,
        version,
        created: f.created.unwrap_or(0),
        app_version: f.app_version.unwrap_or_default(),
        backend: f.backend.unwrap_or_default(),
    })
}

struct TopVisitor<'v, 's, 'a> {
    state: &'v mut State<'s, 'a>,
}

impl<'de> Visitor<'de> for TopVisitor<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a backup object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.state;
        while let Some(key) = map.next_key::<String>()? {
            if let HeaderState::Missing = state.header {
                state.header = HeaderState::Reading(HeaderFields::default());
            }
            if let HeaderState::Reading(fields) = &mut state.header {
                let done = match key.as_str() {
                    "format" => {
                        fields.format = Some(map.next_value()?);
                        true
                    }
                    "formatVersion" => {
                        fields.format_version = Some(map.next_value()?);
                        true
                    }
                    "version" => {
                        fields.version = Some(map.next_value()?);
                        true
                    }
                    "created" => {
                        fields.created = Some(map.next_value()?);
                        true
                    }
                    "appVersion" => {
                        fields.app_version = Some(map.next_value()?);
                        true
                    }
                    "backend" => {
                        fields.backend = Some(map.next_value()?);
                        true
                    }
                    _ => false,
                };
                if done {
                    continue;
                }
            }
            if let Err(e) = state.require_header() {
                return Err(state.fail(e));
            }
            match key.as_str() {
                "accounts" => whole(&mut map, state, "accounts", Part::Accounts)?,
                "keys" => {
                    state.keys_seen = true;
                    whole(&mut map, state, "keys", Part::Keys)?
                }
                "settings" => whole(&mut map, state, "settings", Part::Settings)?,
                "passwords" => map.next_value_seed(Entries {
                    state: &mut *state,
                    name: "passwords",
                    wrap: Part::Password,
                })?,
                "folders" => map.next_value_seed(Entries {
                    state: &mut *state,
                    name: "folders",
                    wrap: Part::Folder,
                })?,
                "tags" => map.next_value_seed(Entries {
                    state: &mut *state,
                    name: "tags",
                    wrap: Part::Tag,
                })?,
                "shares" => map.next_value_seed(Entries {
                    state: &mut *state,
                    name: "shares",
                    wrap: Part::Share,
                })?,
                "passwordTagRelations" => map.next_value_seed(Entries {
                    state: &mut *state,
                    name: "passwordTagRelations",
                    wrap: Part::Relation,
                })?,
                "keychains" | "challenges" => {
                    let items: Vec<IgnoredAny> = map.next_value()?;
                    if !items.is_empty() {
                        return Err(state.fail(BackupError::Invalid(format!(
                            "The backup contains client-side encryption data ({key}), which \
                             this server does not support"
                        ))));
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Reads a small part whole and hands it over.
fn whole<'de, A: MapAccess<'de>, T: DeserializeOwned>(
    map: &mut A,
    state: &mut State<'_, '_>,
    name: &str,
    wrap: fn(T) -> Part,
) -> Result<(), A::Error> {
    let value: T = map.next_value().inspect_err(|_| {
        state.context = Some(name.to_owned());
    })?;
    (state.sink)(wrap(value)).map_err(|e| state.fail(e))
}

/// An entity array, read one entry at a time.
struct Entries<'v, 's, 'a, T> {
    state: &'v mut State<'s, 'a>,
    name: &'static str,
    wrap: fn(T) -> Part,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Entries<'_, '_, '_, T> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Entries<'_, '_, '_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the list of {}", self.name)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        loop {
            let item = match seq.next_element::<T>() {
                Ok(Some(item)) => item,
                Ok(None) => return Ok(()),
                Err(e) => {
                    self.state.context = Some(format!("{} entry {}", self.name, index + 1));
                    return Err(e);
                }
            };
            if let Err(e) = (self.state.sink)((self.wrap)(item)) {
                return Err(self.state.fail(e));
            }
            index += 1;
        }
    }
}
