//! `dyad extract`: code articles offline and print their events.

use std::{
    io::{BufRead, Write},
    path::PathBuf,
    process::ExitCode,
};

use anyhow::Context;
use dyad_proto::v1::{Article, ExtractEventsResponse, Modality};

use crate::{
    articles,
    shapes::{self, Ignored},
};

/// Arguments of `dyad extract`.
#[derive(clap::Args)]
pub struct ExtractArgs {
    /// Files to code (plain text or an HTML page, one article each; *.jsonl
    /// one article per line), or - for standard input.
    #[arg(default_value = "-")]
    inputs: Vec<PathBuf>,
    /// Read JSONL (one dyad.v1.Article per line, proto3 JSON) and print one
    /// ExtractEventsResponse per line, as the ExtractEvents RPC returns it.
    #[arg(long)]
    jsonl: bool,
    /// Publication date (YYYY-MM-DD) of articles that carry none.
    #[arg(long)]
    published: Option<String>,
    /// Directory of extra dictionary files (*.tsv).
    #[arg(long = "dictionary", env = "DYAD_DICTIONARY")]
    dictionary_dir: Option<PathBuf>,
    /// Print, for each input (HTML page, text or JSONL), the article Dyad
    /// would ingest (title, publish time, canonical URL, language, text) in
    /// proto3 JSON, one per line, without coding it.
    #[arg(long)]
    article: bool,
    /// Largest accepted article text, in bytes.
    #[arg(long, default_value_t = dyad_ingest::DEFAULT_MAX_TEXT_BYTES)]
    max_text_bytes: usize,
    /// Largest accepted page, in bytes.
    #[arg(long, default_value_t = dyad_ingest::DEFAULT_MAX_HTML_BYTES)]
    max_html_bytes: usize,
}

/// Runs `dyad extract`.
pub fn run(args: ExtractArgs) -> anyhow::Result<ExitCode> {
    let coder =
        dyad_ingest::load_coder(args.dictionary_dir.as_deref()).map_err(anyhow::Error::msg)?;
    let published = args
        .published
        .as_deref()
        .map(articles::publish_time)
        .transpose()?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    let limits = dyad_ingest::validate::Limits {
        max_text_bytes: args.max_text_bytes,
        max_html_bytes: args.max_html_bytes,
    };
    let mut code_one = |article: anyhow::Result<Article>,
                        out: &mut dyn Write|
     -> anyhow::Result<()> {
        let result = article.and_then(|mut article| {
            if article.publish_time.is_none() {
                article.publish_time = published;
            }
            if args.article {
                return dyad_ingest::validate::validate(Some(article), limits)
                    .map(|valid| ExtractEventsResponse {
                        article: Some(valid.article),
                        ..Default::default()
                    })
                    .map_err(|r| anyhow::anyhow!("{}: {}", r.field, r.description));
            }
            dyad_ingest::extract_events(&coder, Some(article), limits).map_err(anyhow::Error::from)
        });
        match result {
            Ok(response) if args.article => writeln!(
                out,
                "{}",
                serde_json::to_string(&response.article.unwrap_or_default())?
            )?,
            Ok(response) if args.jsonl => writeln!(out, "{}", serde_json::to_string(&response)?)?,
            Ok(response) => print_events(&response, out)?,
            Err(error) => {
                failed += 1;
                eprintln!("dyad extract: {error:#}");
            }
        }
        Ok(())
    };
    let mut ignored = Ignored::default();
    for input in &args.inputs {
        let is_stdin = input.as_os_str() == "-";
        if args.jsonl || (!is_stdin && articles::is_jsonl(input)) {
            let reader: Box<dyn BufRead> = if is_stdin {
                Box::new(std::io::stdin().lock())
            } else {
                Box::new(std::io::BufReader::new(
                    std::fs::File::open(input)
                        .with_context(|| format!("cannot open {}", input.display()))?,
                ))
            };
            for (index, line) in reader.lines().enumerate() {
                let line = line.context("cannot read input")?;
                if !line.trim().is_empty() {
                    let origin = format!("{}:{}", input.display(), index + 1);
                    let article = shapes::article_from_json(&line, &mut ignored).context(origin);
                    code_one(article, &mut out)?;
                }
            }
        } else if is_stdin {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
                .context("cannot read standard input")?;
            code_one(articles::from_bytes(bytes, None), &mut out)?;
        } else {
            articles::read_file(input, None, &mut ignored, |article| {
                code_one(article, &mut out)
            })?;
        }
    }
    out.flush()?;
    if let Some(summary) = ignored.summary() {
        eprintln!("dyad extract: {summary}");
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// One line per event: date, source, code, target, modality, sentence.
fn print_events(response: &ExtractEventsResponse, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "# {} ({} events)",
        response.article_id,
        response.events.len()
    )?;
    for event in &response.events {
        let code = |a: &Option<dyad_proto::v1::Actor>| {
            a.as_ref().map_or("-".to_string(), |a| a.code.clone())
        };
        let mention = event.mentions.first();
        writeln!(
            out,
            "{date:<10} {precision:<5} {source:<8} {cameo:<5} {target:<8} {goldstein:>5.1}  {modality:<12} {place:<16} s{sentence:<3} {text}",
            date = event.date.as_ref().map_or("", |d| d.start_date.as_str()),
            precision = event.date.as_ref().map_or("", |d| {
                d.precision()
                    .as_str_name()
                    .trim_start_matches("DATE_PRECISION_")
            }),
            place = event.location.as_ref().map_or("-", |l| l.name.as_str()),
            source = code(&event.source),
            cameo = event.cameo_code,
            target = code(&event.target),
            goldstein = event.goldstein,
            modality = Modality::try_from(event.modality)
                .map_or("?", |m| m.as_str_name().trim_start_matches("MODALITY_")),
            sentence = mention.map_or(0, |m| m.sentence_index),
            text = mention.map_or("", |m| m.sentence_text.as_str()),
        )?;
    }
    Ok(())
}
