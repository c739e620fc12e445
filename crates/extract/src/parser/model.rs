//! The parser's file format: a text header, then the weights in binary.
//!
//! ```text
//! dyad-parser 1
//! # free text: provenance, licence (each line starts with '#')
//! <empty line>
//! scale, then the feature table (see `model_file`), a class being a move index
//! ```

use super::{Parser, state::Move};
use crate::model_file::{self, ModelError};

const MAGIC: &str = "dyad-parser 1\n";

/// Writes `parser` with `header` (one or more lines; '#' is added where missing).
pub(super) fn write(parser: &Parser, header: &str) -> Vec<u8> {
    let mut out = model_file::write_header(MAGIC, header);
    out.extend_from_slice(&parser.features.scale().to_le_bytes());
    model_file::write_features(&mut out, &parser.features, |m| m);
    out
}

/// Reads a model written by [`write`].
pub(super) fn read(bytes: &[u8]) -> Result<Parser, ModelError> {
    let mut reader = model_file::body(bytes, MAGIC)?;
    let scale = f32::from_le_bytes(reader.array()?);
    let features = model_file::read_features(&mut reader, scale, |m| {
        if usize::from(m) < Move::COUNT {
            Ok(m)
        } else {
            Err(ModelError(format!("{m} is not a move index")))
        }
    })?;
    reader.finish()?;
    Ok(Parser { features })
}
