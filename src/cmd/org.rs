//! `motions org add|list`: the registry of organisations that can consider a motion.

use anyhow::Result;

use super::args::{FilterArgs, OrgDetails, kind};
use super::{Context, emit_rows, note};
use crate::model::Kind;
use crate::ops::registry::{self, Merge, OrgEdit};
use crate::output::rows::{NO_ORGS, org_cells, org_columns};
use crate::output::{Cell, Column, OutputArgs, least_important_first};

/// Register, list and correct the organisations in the registry.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    Add(AddArgs),
    List(ListArgs),
    Rename(RenameArgs),
    Alias(AliasArgs),
    Merge(MergeArgs),
    Remove(RemoveArgs),
    Edit(EditArgs),
    Retire(RetireArgs),
}

/// Mark an organisation as dissolved or succeeded (after a boundary change or a merger): from
/// that day it leaves the registry that tallies count; its history stays, and reports as of an
/// earlier day still count it.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "org list leaves retired organisations out; org list --all shows them with \
    the day they retired and their successor. The built-in CLPs (import orgs --builtin uk-clps) \
    are those of the 2024 boundaries: retire the ones a later review abolishes.\n\n\
    Examples:\n  motions org retire \"Ashby CLP\" --on 2024-07-04 --succeeded-by \"Ashby and Coalville CLP\"\n  \
    motions org retire \"Walford Momentum\"\n  motions org retire \"Ashby CLP\" --undo"
)]
pub(crate) struct RetireArgs {
    /// The organisation
    #[arg(add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::org_names))]
    name: String,

    /// The first day it no longer exists [default: today]
    #[arg(long, value_name = "DATE", value_parser = super::args::date, conflicts_with = "undo")]
    on: Option<chrono::NaiveDate>,

    /// The body that took its place (a registered organisation)
    #[arg(long, value_name = "NAME", conflicts_with = "undo", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::org_names))]
    succeeded_by: Option<String>,

    /// Return it to the registry (a retirement recorded in error)
    #[arg(long)]
    undo: bool,
}

/// Change an organisation's details; what is not given stays as it is, and an empty value
/// clears it. (To change its name, use org rename.)
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  motions org edit \"Aldershot CLP\" --code E14001063 --region \"South East\"\n  \
    motions org edit \"Ashby Ward Branch\" --parent \"Ashby CLP\"\n  motions org edit \"Walford Momentum\" --region \"\""
)]
pub(crate) struct EditArgs {
    /// The organisation
    #[arg(add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::org_names))]
    name: String,

    /// What sort of body it is
    #[arg(long, value_name = "KIND", value_parser = kind)]
    kind: Option<Kind>,

    /// Its region ("" clears it); one that looks like a slip for a region in use (or one of
    /// Labour's) is refused
    #[arg(long, allow_hyphen_values = true)]
    region: Option<String>,

    /// A region not in use yet, taken as written even when it is close to one that is
    #[arg(
        long,
        value_name = "REGION",
        conflicts_with = "region",
        allow_hyphen_values = true
    )]
    new_region: Option<String>,

    /// Its union ("" clears it); one that looks like a slip for a union in use is refused
    #[arg(long, allow_hyphen_values = true)]
    union: Option<String>,

    /// A union not in use yet, taken as written even when it is close to one that is
    #[arg(
        long,
        value_name = "UNION",
        conflicts_with = "union",
        allow_hyphen_values = true
    )]
    new_union: Option<String>,

    /// The CLP it belongs to ("" clears it)
    #[arg(long, value_name = "NAME", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::org_names))]
    parent: Option<String>,

    /// Its code, such as a constituency's ONS code ("" clears it)
    #[arg(long)]
    code: Option<String>,
}

/// Give an organisation a new name; the old name still finds it.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  motions org rename \"Ashby Branch\" \"Ashby North Ward Branch\""
)]
pub(crate) struct RenameArgs {
    /// The name (or an alias) it has now
    #[arg(add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::org_names))]
    old: String,
    /// The name it should have
    new: String,
}

/// Add another spelling that finds an organisation everywhere, imports included.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  motions org alias \"Ashby CLP\" \"Ashby Constituency Labour Party\""
)]
pub(crate) struct AliasArgs {
    /// The organisation
    #[arg(add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::org_names))]
    name: String,
    /// The other spelling
    alias: String,
}

/// Merge a duplicate into the organisation it repeats: its events move over and its name
/// becomes an alias.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Refused when the two have different decisions recorded for one motion on one \
    date; retract the wrong one first (motions outcome retract ID).\n\n\
    Examples:\n  motions org merge \"Ashby Constituency LP\" \"Ashby CLP\""
)]
pub(crate) struct MergeArgs {
    /// The duplicate, which goes
    #[arg(add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::org_names))]
    from: String,
    /// The organisation that stays
    #[arg(add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::org_names))]
    into: String,
}

/// Remove an organisation registered by mistake (one with no recorded events).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  motions org remove \"Test Branch\"")]
pub(crate) struct RemoveArgs {
    /// The organisation
    #[arg(add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::org_names))]
    name: String,
}

/// Register an organisation that can consider a motion.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Kinds: clp, labour-branch, momentum-group, union-branch, trades-council, other\n\n\
    Examples:\n  \
    motions org add \"Ashby CLP\" --kind clp --region \"East Midlands\" --code E14009999\n  \
    motions org add \"Ashby Ward Branch\" --kind branch --parent \"Ashby CLP\"\n  \
    motions org add \"Unite LE/999 Sample Branch\" --kind union --union Unite"
)]
pub(crate) struct AddArgs {
    /// The organisation's name, as people write it (e.g. "Ashby CLP")
    name: String,

    #[command(flatten)]
    details: OrgDetails,

    /// The CLP a branch belongs to (a registered organisation)
    #[arg(long, value_name = "NAME", add = clap_complete::engine::ArgValueCompleter::new(crate::cmd::complete::org_names))]
    parent: Option<String>,

    /// An external identifier, unique: a CLP's ONS constituency code, a union branch number
    #[arg(long)]
    code: Option<String>,
}

/// List the registered organisations.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Organisations retired (org retire) by today are left out; --all lists them \
    too, with two more columns: retired_on and succeeded_by. On a narrow terminal the table \
    leaves out Code first, then Parent, Union and Region (--wide shows every column).\n\n\
    Examples:\n  motions org list --kind clp --region London\n  \
    motions org list --format csv -o orgs.csv\n  motions org list --all"
)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    filter: FilterArgs,

    /// Retired organisations too, with the day they retired and their successor
    #[arg(long)]
    all: bool,

    #[command(flatten)]
    output: OutputArgs,
}

pub(crate) fn run(command: Command, ctx: &Context) -> Result<()> {
    match command {
        Command::Add(args) => add(args, ctx),
        Command::List(args) => list(args, ctx),
        Command::Rename(args) => {
            let (org, new) = registry::rename(&mut ctx.store()?, &args.old, &args.new)?;
            note(format!(
                "Renamed {} to {new}; the old name still finds it",
                org.name
            ));
            Ok(())
        }
        Command::Alias(args) => {
            let (org, alias) = registry::alias(&mut ctx.store()?, &args.name, &args.alias)?;
            note(format!("\"{alias}\" now finds {}", org.name));
            Ok(())
        }
        Command::Merge(args) => merge(args, ctx),
        Command::Edit(args) => edit(args, ctx),
        Command::Retire(args) => retire(args, ctx),
        Command::Remove(args) => {
            let org = registry::remove(&mut ctx.store()?, &args.name)?;
            note(format!("Removed {}", org.describe()));
            Ok(())
        }
    }
}

fn edit(args: EditArgs, ctx: &Context) -> Result<()> {
    let edit = OrgEdit {
        kind: args.kind,
        new_region: args.new_region.is_some(),
        new_union: args.new_union.is_some(),
        region: args.new_region.or(args.region),
        union: args.new_union.or(args.union),
        code: args.code,
        parent: args.parent,
    };
    let updated = registry::edit(&mut ctx.store()?, &args.name, &edit)?;
    note(format!("Updated {}", updated.describe()));
    Ok(())
}

fn merge(args: MergeArgs, ctx: &Context) -> Result<()> {
    let Merge { from, into, merged } = registry::merge(&mut ctx.store()?, &args.from, &args.into)?;
    if let (Some(dropped), Some(kept)) = (&from.code, &into.code)
        && !dropped.eq_ignore_ascii_case(kept)
    {
        note(format!(
            "Note: {} keeps its code {kept}; the code {dropped} of {} was dropped",
            into.name, from.name
        ));
    }
    let duplicates = match merged.duplicates {
        0 => String::new(),
        n => format!(
            " ({n} that repeated {}'s own were retracted as duplicates)",
            into.name
        ),
    };
    note(format!(
        "Merged {} into {}: moved {} event{}{duplicates}; \"{}\" now finds {}",
        from.name,
        into.name,
        merged.moved,
        if merged.moved == 1 { "" } else { "s" },
        from.name,
        into.name
    ));
    Ok(())
}

fn add(args: AddArgs, ctx: &Context) -> Result<()> {
    let request = args.details.request(args.code, args.parent);
    let mut store = ctx.store()?;
    let org = registry::register(&mut store, &args.name, &request)?;
    note(format!("Registered {}", org.describe()));
    if let Some(missing) = registry::missing_code(&mut store, &org)? {
        note(format!("Note: {missing}"));
    }
    Ok(())
}

fn list(args: ListArgs, ctx: &Context) -> Result<()> {
    let mut store = ctx.reader()?;
    let filter = args.filter.parse(&mut store)?;
    let retired = store.retirements()?;
    let today = crate::model::today();
    let mut columns = org_columns("name");
    least_important_first(
        &mut columns,
        &[&["code"], &["parent"], &["union"], &["region"]],
    );
    if args.all {
        columns.push(Column::new("retired_on", "Retired on"));
        columns.push(Column::new("succeeded_by", "Succeeded by"));
    }
    emit_rows(&args.output, columns, NO_ORGS, |rows| {
        store.each_org_in(&filter, |org| {
            let retirement = retired.get(&org.id);
            let mut cells = org_cells(org);
            if args.all {
                cells.push(Cell::opt(retirement.map(|r| r.on)));
                cells.push(Cell::opt(
                    retirement.and_then(|r| r.succeeded_by.as_deref()),
                ));
            } else if retirement.is_some_and(|r| r.on <= today) {
                return Ok(());
            }
            rows.push(cells)
        })
    })
}

fn retire(args: RetireArgs, ctx: &Context) -> Result<()> {
    let mut store = ctx.store()?;
    if args.undo {
        let retired = registry::unretire(&mut store, &args.name)?;
        note(format!(
            "{} is back in the registry; tallies count it again",
            retired.org.name
        ));
        return Ok(());
    }
    let on = args.on.unwrap_or_else(crate::model::today);
    let retired = registry::retire(&mut store, &args.name, on, args.succeeded_by.as_deref())?;
    let successor = match &args.succeeded_by {
        Some(_) => {
            let now = store.retirement(&retired.org)?;
            let name = now.and_then(|r| r.succeeded_by).unwrap_or_default();
            format!(", succeeded by {name}")
        }
        None => String::new(),
    };
    let was = match &retired.before {
        Some(before) if before.on != on => format!(" (it was retired from {})", before.on),
        _ => String::new(),
    };
    note(format!(
        "Retired {} from {on}{successor}{was}: tallies of that day and later leave it out; \
         its history stays, and reports of earlier days still count it",
        retired.org.name
    ));
    Ok(())
}
