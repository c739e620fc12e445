//! The tab-separated file format shared by all dictionaries.

use super::{DictionaryError, DictionaryKind};

/// A parsed dictionary file: its header and rows, with line numbers.
pub(crate) struct Table<'a> {
    pub file: &'a str,
    pub header: Vec<&'a str>,
    pub header_line: usize,
    pub rows: Vec<Row<'a>>,
}

/// One data line of a table.
pub(crate) struct Row<'a> {
    pub line: usize,
    pub cells: Vec<&'a str>,
}

impl<'a> Table<'a> {
    /// Parses `contents`: `#` lines and blank lines are skipped, the first
    /// other line is the header, every later line must have as many cells.
    pub fn parse(file: &'a str, contents: &'a str) -> Result<Self, DictionaryError> {
        let mut header: Option<Vec<&str>> = None;
        let mut header_line = 0;
        let mut rows = Vec::new();
        for (index, line) in contents.lines().enumerate() {
            let line_no = index + 1;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            match &header {
                None => {
                    header = Some(cells);
                    header_line = line_no;
                }
                Some(h) if cells.len() != h.len() => {
                    return Err(DictionaryError {
                        file: file.to_string(),
                        line: line_no,
                        message: format!(
                            "expected {} columns ({}), found {}",
                            h.len(),
                            h.join(", "),
                            cells.len()
                        ),
                    });
                }
                Some(_) => rows.push(Row {
                    line: line_no,
                    cells,
                }),
            }
        }
        let header = header.ok_or_else(|| DictionaryError {
            file: file.to_string(),
            line: 0,
            message: "no header line".to_string(),
        })?;
        Ok(Self {
            file,
            header,
            header_line,
            rows,
        })
    }

    /// Only the header of `contents` (no rows): enough to tell the kind.
    pub fn parse_header(file: &'a str, contents: &'a str) -> Result<Self, DictionaryError> {
        let header_end = contents
            .lines()
            .map(|line| line.len() + 1)
            .scan(0, |offset, len| {
                *offset += len;
                Some(*offset)
            })
            .zip(contents.lines())
            .find(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
            .map_or(contents.len(), |(end, _)| end.min(contents.len()));
        Self::parse(file, &contents[..header_end])
    }

    /// An error at `line` of this table.
    pub fn error(&self, line: usize, message: impl Into<String>) -> DictionaryError {
        DictionaryError {
            file: self.file.to_string(),
            line,
            message: message.into(),
        }
    }
}

/// Tells the kind of a dictionary file from its header.
pub(crate) fn kind_of(table: &Table) -> Result<DictionaryKind, DictionaryError> {
    let kind = match table.header.as_slice() {
        ["country", "name", "aliases"] => DictionaryKind::Countries,
        ["country", "name", "start", "end", "successors", "aliases"] => {
            DictionaryKind::HistoricStates
        }
        [
            "name",
            "aliases",
            "country",
            "role",
            "office",
            "start",
            "end",
        ] => DictionaryKind::People,
        ["name", "aliases", "country", "role", "kind", "start", "end"] => DictionaryKind::Groups,
        ["role", "kind", "nouns"] => DictionaryKind::Agents,
        ["country", "role", "aliases"] => DictionaryKind::Metonyms,
        ["code", "name", "aliases"] => DictionaryKind::Organisations,
        ["code", "pattern"] => DictionaryKind::Verbs,
        [
            "name",
            "aliases",
            "kind",
            "country",
            "admin",
            "lat",
            "lon",
            "population",
        ] => DictionaryKind::Places,
        other => {
            return Err(table.error(
                table.header_line,
                format!("unknown dictionary header: {}", other.join(" | ")),
            ));
        }
    };
    Ok(kind)
}

/// Splits a `|`-separated list, dropping empty items.
pub(crate) fn list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split('|').map(str::trim).filter(|s| !s.is_empty())
}
