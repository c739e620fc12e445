//! The parser's file format: a text header, then the weights in binary.
//!
//! ```text
//! dyad-parser 1
//! # free text: provenance, licence (each line starts with '#')
//! <empty line>
//! scale: f32 LE — weight = i16 × scale
//! features: u32 count, then per feature: u32 hash, u8 n, n × (u8 move, i16 weight)
//! ```
//!
//! Weights are quantised to 16 bits; a weight that rounds to zero is left
//! out, which also prunes the model.

use rustc_hash::FxHashMap;

use super::{Parser, state::Move};
use crate::model_file::{self, ModelError};

const MAGIC: &str = "dyad-parser 1\n";

/// Writes `parser` with `header` (one or more lines; '#' is added where missing).
pub(super) fn write(parser: &Parser, header: &str) -> Vec<u8> {
    let mut out = model_file::write_header(MAGIC, header);
    let max = parser
        .weights
        .iter()
        .map(|(_, w)| w.abs())
        .fold(0f32, f32::max);
    let scale = if max > 0.0 {
        max / f32::from(i16::MAX)
    } else {
        1.0
    };
    out.extend_from_slice(&scale.to_le_bytes());
    let mut features: Vec<_> = parser.features.iter().collect();
    features.sort_unstable_by_key(|(hash, _)| **hash);
    let mut body = Vec::new();
    let mut count = 0u32;
    for (hash, &(start, len)) in features {
        let quantised: Vec<(u8, i16)> = parser.weights
            [start as usize..start as usize + usize::from(len)]
            .iter()
            .map(|&(m, w)| (m, (w / scale).round() as i16))
            .filter(|(_, q)| *q != 0)
            .collect();
        if quantised.is_empty() {
            continue;
        }
        count += 1;
        body.extend_from_slice(&hash.to_le_bytes());
        body.push(quantised.len() as u8);
        for (m, q) in quantised {
            body.push(m);
            body.extend_from_slice(&q.to_le_bytes());
        }
    }
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&body);
    out
}

/// Reads a model written by [`write`].
pub(super) fn read(bytes: &[u8]) -> Result<Parser, ModelError> {
    let mut reader = model_file::body(bytes, MAGIC)?;
    let scale = f32::from_le_bytes(reader.array()?);
    let count = reader.u32()?;
    let mut features = FxHashMap::default();
    features.reserve(count as usize);
    let mut weights = Vec::new();
    for _ in 0..count {
        let hash = reader.u32()?;
        let n = reader.u8()?;
        let start = weights.len() as u32;
        for _ in 0..n {
            let m = reader.u8()?;
            if usize::from(m) >= Move::COUNT {
                return Err(ModelError(format!("{m} is not a move index")));
            }
            let q = i16::from_le_bytes(reader.array()?);
            weights.push((m, f32::from(q) * scale));
        }
        features.insert(hash, (start, n));
    }
    reader.finish()?;
    Ok(Parser { features, weights })
}
