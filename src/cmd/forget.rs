//! `motions forget`: erase a person's name from the records and from the file itself.
//!
//! Erasing cannot be undone, so the command shows what it would change first: `--dry-run`
//! lists it and stops; at a terminal the list is shown and the person asked; elsewhere `--yes`
//! is needed. It says plainly what it could not do: names that identify a record are left for
//! the user to change, and a wipe that a reader or a full disk stopped is an error.

use std::io::{self, Write};

use anyhow::{Result, bail};
use inquire::{Confirm, InquireError};

use super::{Context, UsageError, note, shell_quote};
use crate::db::{Erasure, Holder, Kept, Traces, Wipe};
use crate::model::{PersonName, REDACTED};

/// Erase a person's name from every record that holds it, and from the file itself
///
/// Wherever the name is stored (as a reporter, a link's holder, in notes, sources, reasons for retraction,
/// motion titles, texts and issuers, organisations' regions and unions) it becomes "[name
/// removed]"; an alias that holds it is removed; then the space it took is wiped, so the name
/// is gone from the file itself. Backups made earlier still hold it.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Only the whole name is erased, in any case, accents or spacing: \
    \"Lee\" is not erased from \"Kathleen\", \"Leeds\" or \"Lee-Anne\", but it is from \"Lee Hall\", \
    so give the full name. A name needs at least 3 letters. Organisations named after the person, \
    and motion slugs that spell the name, are listed for you to rename.\n\n\
    The names of reporters are personal data, and those of trade unionists and party members \
    special category data: erase them when asked, or when the campaign is over.\n\n\
    Examples:\n  motions forget \"Sam Sample\" --dry-run\n  motions forget \"Sam Sample\"\n  \
    motions forget \"Sam Sample\" --yes"
)]
pub(crate) struct Args {
    /// The person's name, as it was recorded (case, accents and spacing do not matter)
    name: String,
    /// List every record that would change, and change nothing
    #[arg(long)]
    dry_run: bool,
    /// Erase without asking (needed when not at a terminal)
    #[arg(long, short)]
    yes: bool,
}

pub(crate) fn run(args: Args, ctx: &Context) -> Result<()> {
    let name = PersonName::parse(&args.name)?;
    let shown = name.shown();
    let again = format!("motions forget {}", shell_quote(shown));
    let ask = !args.yes && !args.dry_run;
    if ask && !super::guided::can_ask() {
        return Err(UsageError(format!(
            "forget cannot be undone, so it asks before erasing, and there is no terminal to \
             ask at; see what it would change with {again} --dry-run, then erase with \
             {again} --yes"
        ))
        .into());
    }
    let mut store = ctx.store()?;

    if args.dry_run {
        let mut out = io::BufWriter::new(io::stdout().lock());
        let found = store.forget_plan(&name, |e| Ok(writeln!(out, "{}", line(e))?))?;
        out.flush()?;
        drop(out);
        if found.is_empty() {
            nothing(&found, shown, &again);
        } else {
            note(format!(
                "forget would {}; nothing changed (--dry-run).",
                counts(&found, "replace it with", "remove")
            ));
            if !found.kept.is_empty() {
                note(format!(
                    "It would leave these names that identify records, for you to change:\n{}",
                    kept_list(&found.kept, &again)
                ));
            }
        }
        return Ok(());
    }

    let mut shown_lines = Vec::new();
    let found = store.forget_plan(&name, |e| {
        if shown_lines.len() < ASK_LINES {
            shown_lines.push(format!("  {}", line(e)));
        }
        Ok(())
    })?;
    if found.is_empty() {
        if !found.kept.is_empty() {
            nothing(&found, shown, &again);
            return Ok(());
        }
        // Old text may be left in the file by an earlier erase whose wipe a reader or a full
        // disk stopped, stored right after another text: look for the name even within words.
        if !store.name_in_file(&name, false)? {
            note(format!(
                "No record names \"{shown}\" (in any case, accents or spacing), and the \
                 database file holds no trace of it; nothing changed."
            ));
            return Ok(());
        }
        note(format!(
            "No record names \"{shown}\", but the database file holds text like it (within \
             longer words, or old text an earlier erase could not wipe): wiping the file to be \
             sure."
        ));
        let spinner = super::progress::Spinner::new("Wiping old text from the file");
        let (_, wipe) = store.forget(&name)?;
        drop(spinner);
        return finish(&name, &Traces::default(), wipe, &again);
    }

    if ask {
        note(format!("\"{shown}\" is in:"));
        let listed = shown_lines.len() as u64;
        for text in shown_lines {
            note(text);
        }
        let all = found.fields + found.aliases;
        if all > listed {
            note(format!(
                "  … and {} more (list them all with {again} --dry-run)",
                all - listed
            ));
        }
        if !found.kept.is_empty() {
            note(format!(
                "It leaves these names that identify records, for you to change:\n{}",
                kept_list(&found.kept, &again)
            ));
        }
        let question = format!(
            "Erase it: {}? This cannot be undone.",
            counts(&found, "replace it with", "remove")
        );
        let answer = Confirm::new(&question).with_default(false).prompt();
        match answer {
            Ok(true) => {}
            Ok(false) | Err(InquireError::OperationCanceled) => {
                note("Nothing erased.");
                return Ok(());
            }
            Err(InquireError::OperationInterrupted) => bail!("interrupted; nothing erased"),
            Err(err) => return Err(err.into()),
        }
    }

    let spinner = super::progress::Spinner::new("Erasing and rebuilding the file");
    let (done, wipe) = store.forget(&name)?;
    drop(spinner);
    finish(&name, &done, wipe, &again)
}

/// How many fields the list shown before asking holds at most.
const ASK_LINES: usize = 40;

/// Says that no field forget erases holds the name, and lists what else does.
fn nothing(found: &Traces, shown: &str, again: &str) {
    if found.kept.is_empty() {
        note(format!(
            "No record names \"{shown}\" (in any case, accents or spacing); nothing changed."
        ));
    } else {
        note(format!(
            "No field forget erases holds \"{shown}\", but these names that identify records \
             do, and forget leaves them for you to change:\n{}",
            kept_list(&found.kept, again)
        ));
    }
}

/// Says what was erased, what was left, and whether the file is clean; an error when it may
/// not be.
fn finish(name: &PersonName, done: &Traces, wipe: Wipe, again: &str) -> Result<()> {
    let shown = name.shown();
    if !done.is_empty() {
        note(format!(
            "Erased \"{shown}\": {}.",
            counts(done, "replaced it with", "removed")
        ));
    }
    if !done.kept.is_empty() {
        note(format!(
            "The name is still in these names that identify records, which forget leaves for \
             you to change:\n{}",
            kept_list(&done.kept, again)
        ));
    }
    let changed = if done.is_empty() {
        "no record names it any more"
    } else {
        "the records are changed"
    };
    match wipe {
        Wipe::Done { checked } => {
            note(format!(
                "Wiped the space the old text took and rebuilt the file{}.",
                if checked {
                    format!("; \"{shown}\" is no longer in it")
                } else {
                    String::new()
                }
            ));
            Ok(())
        }
        Wipe::Blocked => bail!(
            "{changed}, but the old text may still be in the database file: another program \
             was using the database (another motions command, or a viewer such as sqlite3), \
             so the file could not be rewritten. Close it, then run {again} again"
        ),
        Wipe::DiskFull => bail!(
            "{changed}, but the old text may still be in the database file: the disk is full, \
             so the file could not be rebuilt. Free some disk space (rebuilding needs as much \
             again as the database takes), then run {again} again"
        ),
        Wipe::Failed(why) => bail!(
            "{changed}, but the old text may still be in the database file: rebuilding it \
             failed ({why}). Run {again} again; if it fails again, run motions check"
        ),
        Wipe::StillInFile => bail!(
            "{changed}, but \"{shown}\" is still in the bytes of the database file after it was \
             rebuilt. Make sure no other program has the database open, then run {again} again"
        ),
    }
}

/// One field that changes: which record, which field, and the text around the erased name as
/// it will read.
fn line(e: &Erasure) -> String {
    let holder = match &e.holder {
        Holder::Outcome(id) => format!("event {id}"),
        Holder::Motion { id, slug } => format!("motion {id} ({slug})"),
        Holder::Org { id, name } => format!("organisation {id} ({name})"),
        Holder::Reporter(id) => format!("reporter {id}"),
        Holder::Submission(id) => format!("report {id} sent through a link"),
    };
    match &e.after {
        Some(after) => format!("{holder}, {}: \"{}\"", e.field, excerpt(after)),
        None => format!("{holder}, {}: removed", e.field),
    }
}

/// What is left for the user, one line each with the command that changes it.
fn kept_list(kept: &[Kept], again: &str) -> String {
    let mut lines: Vec<String> = kept
        .iter()
        .map(|k| match k {
            Kept::OrgName { id, name } => format!(
                "  organisation {id} \"{name}\" is named after them: rename it with \
                 motions org rename {} 'NEW NAME'",
                shell_quote(name)
            ),
            Kept::OrgCode { id, name, code } => format!(
                "  organisation {id} \"{name}\" has it in its code \"{code}\": change it with \
                 motions org edit {} --code NEW-CODE",
                shell_quote(name)
            ),
            Kept::Slug { id, slug } => format!(
                "  motion {id}'s slug \"{slug}\" spells it: change it with \
                 motions motion edit {slug} --slug NEW-SLUG"
            ),
        })
        .collect();
    lines.push(format!(
        "Then run {again} again, to remove the old name (org rename keeps it as an alias) and \
         wipe it from the file."
    ));
    lines.join("\n")
}

/// What `forget` does to the fields found, as in "replaces it with "[name removed]" in 3
/// fields of 2 records and removes 1 alias", with the verbs given.
fn counts(found: &Traces, replace: &str, remove: &str) -> String {
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = Vec::new();
    if found.fields > 0 {
        parts.push(format!(
            "{replace} \"{REDACTED}\" in {} of {}",
            plural(found.fields, "field", "fields"),
            plural(found.records, "record", "records")
        ));
    }
    if found.aliases > 0 {
        parts.push(format!(
            "{remove} {} of organisations",
            plural(found.aliases, "alias", "aliases")
        ));
    }
    parts.join(" and ")
}

/// The text around the first erased name, on one line, at most about 80 characters.
fn excerpt(text: &str) -> String {
    let at = text.find(REDACTED).unwrap_or(0);
    let before: Vec<char> = text[..at].chars().collect();
    let from = before.len().saturating_sub(30);
    let after = &text[at..];
    let to = after.char_indices().nth(50).map_or(after.len(), |(i, _)| i);
    let mut shown = String::new();
    if from > 0 {
        shown.push('…');
    }
    shown.extend(&before[from..]);
    shown.push_str(&after[..to]);
    if to < after.len() {
        shown.push('…');
    }
    shown
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
