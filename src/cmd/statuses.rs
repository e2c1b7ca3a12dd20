//! `motions statuses`: the words for what happened, and the other words accepted for them.

use anyhow::Result;

use crate::model::Status;
use crate::output::OutputArgs;
use crate::output::{Cell, Column, Report};

/// List the statuses an outcome can have, what each means, the other words accepted for it,
/// and the group tallies count it in.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Case, spaces and punctuation do not matter, and a form's own phrasings are \
    understood too: \"Carried unanimously\", \"Passed with amendments\", \"Agreed as \
    amended\", \"Voted down\", \"Heavily defeated\", \"Referred to the EC\", \"Ruled out of \
    order by the chair\", \"Held over to the next meeting\"... \"Not moved\" records nothing: \
    an organisation with no outcome is counted as not moved already. To read a form's own \
    answers, import with --value \"status:THEIR WORDS=STATUS\".\n\n\
    Examples:\n  motions statuses\n  motions statuses --format csv"
)]
pub(crate) struct Args {
    #[command(flatten)]
    output: OutputArgs,
}

pub(crate) fn run(args: Args) -> Result<()> {
    let mut report = Report::new(vec![
        Column::new("status", "Status"),
        Column::new("meaning", "Meaning"),
        Column::new("also_accepted", "Also accepted"),
        Column::new("group", "Counted as"),
    ]);
    for status in Status::ALL {
        report.rows.push(vec![
            Cell::from(status.as_str()),
            Cell::from(status.meaning()),
            Cell::from(status.aliases().join(", ")),
            Cell::from(status.group().as_str()),
        ]);
    }
    args.output.emit(&report)
}
