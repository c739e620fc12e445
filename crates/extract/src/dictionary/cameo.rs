//! The CAMEO event code table: names, Goldstein scores, quad classes and
//! PLOVER types.

use std::collections::HashMap;

use super::{DictionaryError, table::Table};

/// GDELT-style quad class of a CAMEO root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuadClass {
    /// Roots 01-05.
    VerbalCooperation,
    /// Roots 06-09.
    MaterialCooperation,
    /// Roots 10-14.
    VerbalConflict,
    /// Roots 15-20.
    MaterialConflict,
}

/// One CAMEO event code with its scores.
#[derive(Debug, Clone, PartialEq)]
pub struct CameoCode {
    /// The code, two to four digits ("0874").
    pub code: String,
    /// Its name in the CAMEO codebook.
    pub name: String,
    /// Goldstein score, -10 to +10.
    pub goldstein: f64,
    /// Quad class of its root.
    pub quad_class: QuadClass,
    /// PLOVER event type, empty when unmapped.
    pub plover: String,
}

impl CameoCode {
    /// The two-digit root ("08").
    pub fn root(&self) -> &str {
        &self.code[..2]
    }
}

/// All CAMEO codes by code.
#[derive(Debug, Clone, Default)]
pub(crate) struct CameoTable(HashMap<String, CameoCode>);

impl CameoTable {
    pub fn parse(file: &str, contents: &str) -> Result<Self, DictionaryError> {
        let table = Table::parse(file, contents)?;
        let mut codes = HashMap::new();
        for row in &table.rows {
            let [code, name, goldstein, quad, plover] = row.cells[..] else {
                return Err(table.error(
                    row.line,
                    "expected code, name, goldstein, quadclass, plover_event",
                ));
            };
            let goldstein: f64 = goldstein.parse().map_err(|_| {
                table.error(row.line, format!("invalid Goldstein score {goldstein:?}"))
            })?;
            let quad_class = match quad {
                "1" => QuadClass::VerbalCooperation,
                "2" => QuadClass::MaterialCooperation,
                "3" => QuadClass::VerbalConflict,
                "4" => QuadClass::MaterialConflict,
                other => return Err(table.error(row.line, format!("invalid quad class {other:?}"))),
            };
            codes.insert(
                code.to_string(),
                CameoCode {
                    code: code.to_string(),
                    name: name.to_string(),
                    goldstein,
                    quad_class,
                    plover: plover.to_string(),
                },
            );
        }
        Ok(Self(codes))
    }

    pub fn get(&self, code: &str) -> Option<&CameoCode> {
        self.0.get(code)
    }
}
