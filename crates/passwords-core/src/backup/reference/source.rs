//! Reading a reference-app backup as a stream: gzip (or plain) JSON → its top-level keys,
//! the entity lists one entry at a time as JSON values (the migration steps work on them as
//! the reference works on its arrays). The reference writes `keys` and `settings` after the
//! entities, so a reader of the whole file goes through it twice (see `super`).

use std::fmt;
use std::io::{BufRead, BufReader, Read};

use flate2::read::MultiGzDecoder;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserializer as _;
use serde_json::Value;

use crate::backup::BackupError;

/// An entity list of the reference's backup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum List {
    Passwords,
    Folders,
    Tags,
    Shares,
    Relations,
    Keychains,
    Challenges,
}

impl List {
    fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "passwords" => Self::Passwords,
            "folders" => Self::Folders,
            "tags" => Self::Tags,
            "shares" => Self::Shares,
            // Before version 101 the relations had the snake-case name.
            "passwordTagRelations" | "password_tag_relations" => Self::Relations,
            "keychains" => Self::Keychains,
            "challenges" => Self::Challenges,
            _ => return None,
        })
    }

    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Passwords => "passwords",
            Self::Folders => "folders",
            Self::Tags => "tags",
            Self::Shares => "shares",
            Self::Relations => "passwordTagRelations",
            Self::Keychains => "keychains",
            Self::Challenges => "challenges",
        }
    }
}

/// One part of the file, in file order.
#[derive(Debug)]
pub enum Part {
    Version(Value),
    Keys(Value),
    Settings(Value),
    /// An entity list begins.
    Open(List),
    Entry(List, Value),
    /// The entity list ends.
    Close(List),
}

pub type Sink<'a> = dyn FnMut(Part) -> Result<(), BackupError> + 'a;

/// The readable bytes of a backup: gunzipped if they start with the gzip magic.
pub fn decompressed(input: impl Read + 'static) -> Result<Box<dyn Read>, BackupError> {
    let mut input = BufReader::with_capacity(1 << 16, input);
    let head = input
        .fill_buf()
        .map_err(|e| BackupError::Invalid(format!("The backup file cannot be read: {e}")))?;
    Ok(if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(BufReader::with_capacity(
            1 << 16,
            MultiGzDecoder::new(input),
        ))
    } else {
        Box::new(input)
    })
}

/// The first top-level key of a JSON object (`None` if the text is not an object).
pub fn first_key(input: impl Read) -> Option<String> {
    struct First<'a>(&'a mut Option<String>);
    impl<'de> Visitor<'de> for First<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            *self.0 = map.next_key::<String>()?;
            Err(de::Error::custom("stop"))
        }
    }
    let mut key = None;
    let mut de = serde_json::Deserializer::from_reader(input);
    let _ = de.deserialize_map(First(&mut key));
    key
}

/// Reads the whole file, handing every part to `sink`.
pub fn read(input: impl Read, sink: &mut Sink<'_>) -> Result<(), BackupError> {
    let mut failure = None;
    let mut de = serde_json::Deserializer::from_reader(input);
    let outcome = de
        .deserialize_map(Top {
            sink,
            failure: &mut failure,
        })
        .and_then(|()| de.end());
    match (failure, outcome) {
        (Some(f), _) => Err(f),
        (None, Ok(())) => Ok(()),
        (None, Err(e)) if e.is_io() || e.is_eof() => Err(BackupError::Invalid(format!(
            "The backup file is truncated or its compressed data is corrupt ({e})"
        ))),
        (None, Err(e)) if e.is_syntax() => Err(BackupError::Invalid(format!(
            "Backup file is not valid JSON: {e}"
        ))),
        (None, Err(e)) => Err(BackupError::Invalid(format!(
            "The file does not contain a valid server backup: {e}"
        ))),
    }
}

struct Top<'s, 'a> {
    sink: &'s mut Sink<'a>,
    failure: &'s mut Option<BackupError>,
}

fn fail<E: de::Error>(slot: &mut Option<BackupError>, error: BackupError) -> E {
    let text = error.to_string();
    slot.get_or_insert(error);
    E::custom(text)
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a backup object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let part = match key.as_str() {
                "version" => Part::Version(map.next_value()?),
                "keys" => Part::Keys(map.next_value()?),
                "settings" => Part::Settings(map.next_value()?),
                other => match List::from_key(other) {
                    Some(list) => {
                        (self.sink)(Part::Open(list)).map_err(|e| fail(self.failure, e))?;
                        map.next_value_seed(Entries {
                            list,
                            sink: &mut *self.sink,
                            failure: &mut *self.failure,
                        })?;
                        Part::Close(list)
                    }
                    None => {
                        map.next_value::<IgnoredAny>()?;
                        continue;
                    }
                },
            };
            (self.sink)(part).map_err(|e| fail(self.failure, e))?;
        }
        Ok(())
    }
}

struct Entries<'s, 'a> {
    list: List,
    sink: &'s mut Sink<'a>,
    failure: &'s mut Option<BackupError>,
}

impl<'de> DeserializeSeed<'de> for Entries<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Entries<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the list of {}", self.list.name())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element::<Value>()? {
            (self.sink)(Part::Entry(self.list, item)).map_err(|e| fail(self.failure, e))?;
        }
        Ok(())
    }
}
