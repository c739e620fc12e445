//! Where exported rows go: delimited text (CSV, TSV), JSON Lines or
//! Parquet, each written as the batches arrive.

use std::{fs::File, io::BufWriter, io::Write, path::Path, sync::Arc};

use anyhow::Context;
use arrow_array::{
    ArrayRef, RecordBatch,
    builder::{
        Date32Builder, Float64Builder, Int64Builder, StringBuilder, StringDictionaryBuilder,
        TimestampMillisecondBuilder,
    },
    types::Int32Type,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use dyad_proto::v1::Event;
use parquet::{
    arrow::ArrowWriter,
    basic::Compression,
    file::properties::{WriterProperties, WriterVersion},
};

use super::columns::{Column, Kind, Value};

/// A file format of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated values (RFC 4180), a header row first.
    Csv,
    /// Tab-separated values, as GDELT's files, a header row first.
    Tsv,
    /// One JSON object per line, column names as keys, nulls for empty values.
    Jsonl,
    /// Apache Parquet: typed columns (dates as dates, codes
    /// dictionary-encoded), Snappy-compressed.
    Parquet,
}

/// Rows per Parquet row group: large enough for fast scans, small enough
/// that the writer holds a few tens of MB at most.
const ROW_GROUP_ROWS: usize = 65_536;

/// Receives the exported events batch by batch.
pub trait Sink {
    /// Writes one row per event.
    fn write(&mut self, events: &[Event]) -> anyhow::Result<()>;
    /// Flushes and closes the file.
    fn finish(self: Box<Self>) -> anyhow::Result<()>;
}

/// A sink of `format` writing `columns` to a new file at `path`; `header`
/// says whether delimited text starts with the column names.
pub fn create(
    format: Format,
    path: &Path,
    columns: &'static [Column],
    header: bool,
) -> anyhow::Result<Box<dyn Sink>> {
    let file =
        File::create(path).with_context(|| format!("cannot create --out {}", path.display()))?;
    Ok(match format {
        Format::Csv | Format::Tsv => Box::new(Delimited::new(
            file,
            columns,
            if format == Format::Tsv { b'\t' } else { b',' },
            header,
        )?),
        Format::Jsonl => Box::new(JsonLines {
            out: BufWriter::new(file),
            columns,
        }),
        Format::Parquet => Box::new(Parquet::new(file, columns)?),
    })
}

/// CSV or TSV through the `csv` crate (quoting as RFC 4180 says).
struct Delimited {
    out: csv::Writer<File>,
    columns: &'static [Column],
}

impl Delimited {
    fn new(
        file: File,
        columns: &'static [Column],
        delimiter: u8,
        header: bool,
    ) -> anyhow::Result<Self> {
        let mut out = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(file);
        if header {
            out.write_record(columns.iter().map(|c| c.name))?;
        }
        Ok(Self { out, columns })
    }
}

/// A value as delimited text: empty for `Empty`, days as YYYY-MM-DD,
/// instants as RFC 3339.
fn cell(value: Value) -> String {
    match value {
        Value::Empty => String::new(),
        Value::Text(text) => text,
        Value::Int(n) => n.to_string(),
        Value::Float(x) if x.is_finite() => x.to_string(),
        Value::Float(_) => String::new(),
        Value::Date(day) => day.to_string(),
        Value::Time(t) => t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }
}

impl Sink for Delimited {
    fn write(&mut self, events: &[Event]) -> anyhow::Result<()> {
        for event in events {
            self.out
                .write_record(self.columns.iter().map(|c| cell((c.value)(event))))?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> anyhow::Result<()> {
        self.out.flush()?;
        Ok(())
    }
}

/// JSON Lines: an object per event, keys in column order.
struct JsonLines {
    out: BufWriter<File>,
    columns: &'static [Column],
}

fn json(value: Value) -> serde_json::Value {
    match value {
        Value::Empty => serde_json::Value::Null,
        Value::Int(n) => n.into(),
        Value::Float(x) => {
            serde_json::Number::from_f64(x).map_or(serde_json::Value::Null, Into::into)
        }
        other => cell(other).into(),
    }
}

impl Sink for JsonLines {
    fn write(&mut self, events: &[Event]) -> anyhow::Result<()> {
        for event in events {
            // Keys in column order, which a map would sort.
            for (i, column) in self.columns.iter().enumerate() {
                self.out.write_all(if i == 0 { b"{" } else { b"," })?;
                serde_json::to_writer(&mut self.out, column.name)?;
                self.out.write_all(b":")?;
                serde_json::to_writer(&mut self.out, &json((column.value)(event)))?;
            }
            self.out.write_all(b"}\n")?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> anyhow::Result<()> {
        self.out.flush()?;
        Ok(())
    }
}

/// Parquet through the `arrow`/`parquet` crates, a record batch per batch
/// of events.
struct Parquet {
    out: ArrowWriter<File>,
    schema: Arc<Schema>,
    columns: &'static [Column],
}

/// The Arrow type of a column kind.
fn data_type(kind: Kind) -> DataType {
    match kind {
        Kind::Text => DataType::Utf8,
        Kind::Code => DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
        Kind::Int => DataType::Int64,
        Kind::Float => DataType::Float64,
        Kind::Date => DataType::Date32,
        Kind::Time => DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
    }
}

impl Parquet {
    fn new(file: File, columns: &'static [Column]) -> anyhow::Result<Self> {
        let schema = Arc::new(Schema::new(
            columns
                .iter()
                .map(|c| Field::new(c.name, data_type(c.kind), true))
                .collect::<Vec<_>>(),
        ));
        let properties = WriterProperties::builder()
            .set_writer_version(WriterVersion::PARQUET_2_0)
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_created_by(format!("dyad {}", env!("CARGO_PKG_VERSION")))
            .build();
        let out = ArrowWriter::try_new(file, schema.clone(), Some(properties))?;
        Ok(Self {
            out,
            schema,
            columns,
        })
    }
}

/// The Arrow array of one column over `events`.
fn array(column: &Column, events: &[Event]) -> ArrayRef {
    let values = events.iter().map(|e| (column.value)(e));
    match column.kind {
        Kind::Text => {
            let mut b = StringBuilder::new();
            values.for_each(|v| match v {
                Value::Empty => b.append_null(),
                v => b.append_value(cell(v)),
            });
            Arc::new(b.finish())
        }
        Kind::Code => {
            let mut b = StringDictionaryBuilder::<Int32Type>::new();
            values.for_each(|v| match v {
                Value::Empty => b.append_null(),
                v => b.append_value(cell(v)),
            });
            Arc::new(b.finish())
        }
        Kind::Int => {
            let mut b = Int64Builder::new();
            values
                .for_each(|v| b.append_option(if let Value::Int(n) = v { Some(n) } else { None }));
            Arc::new(b.finish())
        }
        Kind::Float => {
            let mut b = Float64Builder::new();
            values.for_each(|v| {
                b.append_option(if let Value::Float(x) = v {
                    Some(x)
                } else {
                    None
                })
            });
            Arc::new(b.finish())
        }
        Kind::Date => {
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid day");
            let mut b = Date32Builder::new();
            values.for_each(|v| {
                b.append_option(match v {
                    Value::Date(day) => i32::try_from((day - epoch).num_days()).ok(),
                    _ => None,
                })
            });
            Arc::new(b.finish())
        }
        Kind::Time => {
            let mut b = TimestampMillisecondBuilder::new().with_timezone("UTC");
            values.for_each(|v| {
                b.append_option(if let Value::Time(t) = v {
                    Some(t.timestamp_millis())
                } else {
                    None
                })
            });
            Arc::new(b.finish())
        }
    }
}

impl Sink for Parquet {
    fn write(&mut self, events: &[Event]) -> anyhow::Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let arrays = self.columns.iter().map(|c| array(c, events)).collect();
        self.out
            .write(&RecordBatch::try_new(self.schema.clone(), arrays)?)?;
        Ok(())
    }

    fn finish(self: Box<Self>) -> anyhow::Result<()> {
        self.out.close()?;
        Ok(())
    }
}
