//! The module graph keeps its layers: `cli → cmd (or serve) → ops → db / model / output`, no
//! command importing another, SQL only in `db`, and nothing below the commands printing. Read
//! from the source, so a change that crosses a layer fails here, not in review.

use std::fs;
use std::path::{Path, PathBuf};

/// Every Rust file under `src/`, with its path relative to `src/`.
fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    walk(&root, &mut paths);
    paths
        .into_iter()
        .map(|path| {
            let relative = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (relative, code_only(&fs::read_to_string(&path).unwrap()))
        })
        .collect()
}

/// The code of a file without its comments and its unit tests (which may use anything).
fn code_only(text: &str) -> String {
    let before_tests = match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => text,
    };
    before_tests
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level module a file belongs to ("cmd", "ops", "db", "lib.rs"...).
fn layer(path: &str) -> &str {
    path.split('/').next().unwrap().trim_end_matches(".rs")
}

/// The crate's modules a file refers to by path (`crate::db::...`).
fn uses(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() && !found.contains(&name) {
            found.push(name);
        }
    }
    found
}

#[test]
fn each_layer_uses_only_the_layers_below_it() {
    let allowed: &[(&str, &[&str])] = &[
        ("model", &["model"]),
        ("files", &[]),
        ("csv_io", &["csv_io", "model"]),
        ("db", &["db", "model", "files"]),
        ("output", &["output", "model", "csv_io", "files"]),
        ("ops", &["ops", "db", "model", "output", "csv_io", "files"]),
        ("serve", &["serve", "ops", "model", "output", "files"]),
    ];
    let mut crossings = Vec::new();
    for (path, code) in sources() {
        let Some((_, may)) = allowed.iter().find(|(name, _)| *name == layer(&path)) else {
            continue;
        };
        for used in uses(&code) {
            if !may.contains(&used.as_str()) {
                crossings.push(format!("{path} uses crate::{used}"));
            }
        }
    }
    assert!(crossings.is_empty(), "{}", crossings.join("\n"));
}

#[test]
fn the_commands_never_reach_back_to_the_command_line_nor_to_each_other() {
    // Modules of `cmd` that are not commands but helpers the commands share.
    let helpers = ["args", "progress", "complete", "guided", "mod"];
    let mut crossings = Vec::new();
    for (path, code) in sources() {
        if layer(&path) != "cmd" {
            continue;
        }
        if uses(&code).iter().any(|u| u == "cli") {
            crossings.push(format!("{path} uses crate::cli"));
        }
        let own = path
            .trim_start_matches("cmd/")
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        for prefix in ["super::", "crate::cmd::"] {
            for (at, _) in code.match_indices(prefix) {
                let rest = &code[at + prefix.len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let is_module = rest[name.len()..].starts_with("::");
                let is_command = !helpers.contains(&name.as_str()) && name != own;
                if is_module && is_command && !path.starts_with(&format!("cmd/{name}/")) {
                    crossings.push(format!("{path} uses the command {name}"));
                }
            }
        }
    }
    assert!(crossings.is_empty(), "{}", crossings.join("\n"));
    let cli = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli.rs")).unwrap();
    let cli_uses = uses(&code_only(&cli));
    assert!(
        cli_uses.iter().all(|u| u == "cmd" || u == "output"),
        "cli.rs holds the global flags only: {cli_uses:?}"
    );
}

#[test]
fn sql_is_written_only_in_db() {
    let sql = [
        "SELECT ",
        "INSERT INTO",
        "UPDATE ",
        "DELETE FROM",
        "CREATE TABLE",
        "PRAGMA ",
    ];
    let mut outside = Vec::new();
    for (path, code) in sources() {
        if layer(&path) == "db" {
            continue;
        }
        for word in sql {
            if code.contains(word) {
                outside.push(format!("{path} holds \"{word}\""));
            }
        }
    }
    assert!(outside.is_empty(), "{}", outside.join("\n"));
}

#[test]
fn nothing_below_the_commands_prints() {
    let printing = [
        "println!",
        "eprintln!",
        "print!(",
        "eprint!(",
        "io::stderr()",
    ];
    let mut found = Vec::new();
    for (path, code) in sources() {
        if !matches!(layer(&path), "ops" | "db" | "model" | "csv_io" | "files") {
            continue;
        }
        for word in printing {
            if code.contains(word) {
                found.push(format!("{path} uses {word}"));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
