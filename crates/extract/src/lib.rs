//! Dyad's event coder: turns news text into CAMEO-coded political events —
//! who did what to whom, when, how sure — with provenance down to the
//! sentence. A pure library: no I/O; dictionaries are data compiled in and
//! extendable with the caller's own files.
//!
//! ```
//! use dyad_extract::{ArticleText, Coder, Dictionaries};
//! let coder = Coder::new(Dictionaries::builtin());
//! let published = chrono::NaiveDate::from_ymd_opt(2024, 5, 10).unwrap();
//! let events = coder.code(ArticleText { text: "Russia condemned Ukraine.", published });
//! assert_eq!(events[0].cameo.root(), "11");
//! ```

mod coder;
pub mod confidence;
mod dates;
pub mod dictionary;
mod feature_weights;
mod lexicon;
mod matcher;
mod model;
mod model_file;
pub mod parser;
mod places;
mod reference;
mod setting;
pub mod stages;
pub mod tagger;
pub mod text;

pub use coder::Coder;
pub use dates::dates_in;
pub use dictionary::{ActorKind, CameoCode, Dictionaries, DictionaryError, QuadClass};
pub use model::{
    ArticleText, CodedActor, CodedDate, CodedEvent, CodedLocation, DateBasis, DatePrecision,
    EventIdentity, LocationPrecision, Modality,
};

/// Version of the coder and its built-in dictionaries, stored with every
/// mention so that re-coding with a newer coder can be detected.
pub const CODER_VERSION: &str = concat!("dyad-extract/", env!("CARGO_PKG_VERSION"));
