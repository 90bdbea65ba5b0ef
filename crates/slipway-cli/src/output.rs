//! How the CLI speaks: JSON, tables, confirmation, progress lines, Ctrl-C, and reading
//! secrets and texts from standard input.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::sync::Arc;

use slipway_api::{ApiError, Cancel, ErrorCode, Progress};

pub(crate) fn print_json<T: serde::Serialize>(value: &T) {
    // Buffered: stdout alone writes at every line break, thousands of calls for a board.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    // A closed pipe (`| head`) is the reader's choice, not an error.
    if serde_json::to_writer_pretty(&mut out, value).is_ok() {
        let _ = writeln!(out);
    }
    let _ = out.flush();
}

pub(crate) fn printer(json: bool) -> Progress {
    Arc::new(move |p| {
        if !json {
            eprintln!("  [{}] {}", p.step, p.line);
        }
    })
}

/// Ctrl-C cancels the run (its action is killed; the outcome is recorded).
pub(crate) fn cancel_on_ctrl_c() -> Cancel {
    let cancel = Cancel::new();
    let c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("Cancelling…");
            c.cancel();
        }
    });
    cancel
}

pub(crate) fn confirm(question: &str, yes: bool) -> bool {
    if yes {
        return true;
    }
    if !std::io::stdin().is_terminal() {
        eprintln!("Nothing was changed: add --yes to go ahead without a question.");
        return false;
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    matches!(answer.trim(), "y" | "Y" | "yes")
}

/// Prints rows as columns padded to their widest cell (the last column is not padded).
pub(crate) fn print_table(rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = std::io::stdout().lock();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(
                    ' ',
                    widths[i] - cell.chars().count() + 2,
                ));
            }
        }
        // A closed pipe (`| head`) is the reader's choice, not an error.
        if writeln!(out, "{}", line.trim_end()).is_err() {
            return;
        }
    }
}

pub(crate) fn or_dash(s: &str) -> String {
    if s.is_empty() {
        "-".into()
    } else {
        s.to_string()
    }
}

/// The first line of `text`, at most `max` characters.
pub(crate) fn first_line(text: &str, max: usize) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let line = line.trim();
    if line.chars().count() > max {
        format!("{}…", line.chars().take(max - 1).collect::<String>())
    } else {
        line.to_string()
    }
}

pub(crate) fn io_error(what: &str, e: std::io::Error) -> ApiError {
    ApiError::new(ErrorCode::Io, format!("Cannot read {what}: {e}."))
}

/// Removes one trailing line end (`\n` or `\r\n`).
pub(crate) fn trim_newline(s: &str) -> &str {
    let s = s.strip_suffix('\n').unwrap_or(s);
    s.strip_suffix('\r').unwrap_or(s)
}

/// Reads the URL and/or the secret from standard input: one line each from a terminal; from
/// a pipe, the URL is the first line and the secret the rest (one trailing newline trimmed).
pub(crate) fn read_stdin_parts(
    url: bool,
    secret: bool,
) -> Result<(Option<String>, Option<String>), ApiError> {
    if !url && !secret {
        return Ok((None, None));
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let ask = |prompt: &str| -> Result<String, ApiError> {
            eprint!("{prompt}: ");
            let _ = std::io::stderr().flush();
            let mut line = String::new();
            stdin
                .lock()
                .read_line(&mut line)
                .map_err(|e| io_error("standard input", e))?;
            Ok(trim_newline(&line).to_string())
        };
        let u = if url { Some(ask("URL")?) } else { None };
        let s = if secret { Some(ask("Secret")?) } else { None };
        return Ok((u, s));
    }
    let mut all = String::new();
    stdin
        .lock()
        .read_to_string(&mut all)
        .map_err(|e| io_error("standard input", e))?;
    Ok(match (url, secret) {
        (true, true) => {
            let (first, rest) = all.split_once('\n').unwrap_or((all.as_str(), ""));
            (
                Some(trim_newline(first).trim().to_string()),
                Some(trim_newline(rest).to_string()),
            )
        }
        (true, false) => (Some(trim_newline(&all).trim().to_string()), None),
        _ => (None, Some(trim_newline(&all).to_string())),
    })
}

pub(crate) fn clip(s: &str, n: usize) -> String {
    match s.char_indices().nth(n - 1) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

/// Flags that do not go together, refused before anything is asked of the core.
pub(crate) fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidInput, message)
}
