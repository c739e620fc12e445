//! The tagger's file format: a text header, then the weights in binary.
//!
//! ```text
//! dyad-tagger 1
//! # free text: provenance, licence (each line starts with '#')
//! <empty line>
//! scale: f32 LE — weight = i16 × scale
//! dictionary: u32 count, then per word: u8 length, UTF-8 bytes, u8 tag
//! lexicon: u32 count, then per word: u8 length, UTF-8 bytes, u32 tag bit set
//! features: u32 count, then per feature: u32 hash, u8 n, n × (u8 tag, i16 weight)
//! ```
//!
//! Weights are quantised to 16 bits; a weight that rounds to zero is left
//! out, which also prunes the model.

use rustc_hash::FxHashMap;

use super::{Tagger, Upos};
use crate::model_file::{self, ModelError, Reader};

const MAGIC: &str = "dyad-tagger 1\n";

/// Writes `tagger` with `header` (one or more lines; '#' is added where missing).
pub(super) fn write(tagger: &Tagger, header: &str) -> Vec<u8> {
    let mut out = model_file::write_header(MAGIC, header);
    out.extend_from_slice(&tagger.features.scale().to_le_bytes());
    let mut dictionary: Vec<_> = tagger.tag_dictionary.iter().collect();
    dictionary.sort_unstable();
    let dictionary: Vec<_> = dictionary
        .into_iter()
        .filter(|(word, _)| word.len() <= usize::from(u8::MAX))
        .collect();
    out.extend_from_slice(&(dictionary.len() as u32).to_le_bytes());
    for (word, tag) in dictionary {
        out.push(word.len() as u8);
        out.extend_from_slice(word.as_bytes());
        out.push(*tag as u8);
    }
    let mut lexicon: Vec<_> = tagger
        .lexicon
        .iter()
        .filter(|(word, _)| word.len() <= usize::from(u8::MAX))
        .collect();
    lexicon.sort_unstable();
    out.extend_from_slice(&(lexicon.len() as u32).to_le_bytes());
    for (word, classes) in lexicon {
        out.push(word.len() as u8);
        out.extend_from_slice(word.as_bytes());
        out.extend_from_slice(&classes.to_le_bytes());
    }
    model_file::write_features(&mut out, &tagger.features, |tag| tag as u8);
    out
}

/// Reads a model written by [`write`].
pub(super) fn read(bytes: &[u8]) -> Result<Tagger, ModelError> {
    let mut reader = model_file::body(bytes, MAGIC)?;
    let scale = f32::from_le_bytes(reader.array()?);
    let words = reader.u32()?;
    let mut tag_dictionary = FxHashMap::default();
    for _ in 0..words {
        let word = reader.word()?;
        tag_dictionary.insert(word.into(), tag(&mut reader)?);
    }
    let words = reader.u32()?;
    let mut lexicon = super::features::Lexicon::default();
    for _ in 0..words {
        let word = reader.word()?;
        lexicon.insert(word.into(), reader.u32()?);
    }
    let features = model_file::read_features(&mut reader, scale, upos)?;
    reader.finish()?;
    Ok(Tagger::new(features, tag_dictionary, lexicon))
}

/// A tag index byte.
fn tag(reader: &mut Reader) -> Result<Upos, ModelError> {
    upos(reader.u8()?)
}

/// The tag at index `index`.
fn upos(index: u8) -> Result<Upos, ModelError> {
    Upos::from_index(usize::from(index))
        .ok_or_else(|| ModelError(format!("{index} is not a tag index")))
}
