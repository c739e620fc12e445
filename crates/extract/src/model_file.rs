//! What the trained models' files share: a magic line, a text header of
//! '#' lines (provenance, licence) ended by an empty line, then a binary
//! body in little-endian, read with [`Reader`].

/// A model file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a dyad model: {0}")]
pub struct ModelError(pub(crate) String);

/// `magic`, then `header` (one or more lines; '#' is added where missing),
/// then the empty line the body follows.
pub(crate) fn write_header(magic: &str, header: &str) -> Vec<u8> {
    let mut out = magic.as_bytes().to_vec();
    for line in header.lines() {
        if !line.starts_with('#') {
            out.extend_from_slice(b"# ");
        }
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out.push(b'\n');
    out
}

/// The body of a file written with [`write_header`] for `magic`.
pub(crate) fn body<'b>(bytes: &'b [u8], magic: &str) -> Result<Reader<'b>, ModelError> {
    let rest = bytes
        .strip_prefix(magic.as_bytes())
        .ok_or_else(|| ModelError(format!("it does not start with {magic:?}")))?;
    let body_at = rest
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|p| p + 2)
        .or_else(|| rest.starts_with(b"\n").then_some(1))
        .ok_or_else(|| ModelError("the header has no end (an empty line)".into()))?;
    Ok(Reader {
        bytes: &rest[body_at..],
    })
}

/// Reads a model body front to back.
pub(crate) struct Reader<'b> {
    bytes: &'b [u8],
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8], ModelError> {
        if self.bytes.len() < n {
            return Err(ModelError("the file ends early".into()));
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    /// The next `N` bytes.
    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        Ok(self.take(N)?.try_into().expect("take returns N bytes"))
    }

    /// The next byte.
    pub(crate) fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }

    /// The next little-endian u32.
    pub(crate) fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    /// A word: a length byte, then UTF-8.
    pub(crate) fn word(&mut self) -> Result<&'b str, ModelError> {
        let len = self.u8()?;
        std::str::from_utf8(self.take(usize::from(len))?)
            .map_err(|_| ModelError("a word is not UTF-8".into()))
    }

    /// Fails unless every byte was read.
    pub(crate) fn finish(self) -> Result<(), ModelError> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(ModelError(format!(
                "{} bytes after the last feature",
                self.bytes.len()
            )))
        }
    }
}
