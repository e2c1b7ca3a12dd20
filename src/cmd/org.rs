//! `motions org add|list`: the registry of organisations that can consider a motion.

use anyhow::{Result, bail};

use super::{Context, emit, note, resolve, text_arg};
use crate::cli::OutputArgs;
use crate::db::Store;
use crate::model::{
    Dimension, Kind, MAX_NAME_CHARS, NewOrg, Org, OrgFilter, clean_name, clean_optional, name_key,
};
use crate::output::{Cell, Column, Report};

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
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,

    /// Its region ("" clears it)
    #[arg(long, allow_hyphen_values = true)]
    region: Option<String>,

    /// Its union ("" clears it)
    #[arg(long, allow_hyphen_values = true)]
    union: Option<String>,

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

/// What `org add`, and `log` when it registers a new organisation, ask about it.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct OrgDetails {
    /// What sort of body it is: clp, labour-branch, momentum-group, union-branch,
    /// trades-council or other
    #[arg(long, value_name = "KIND")]
    pub(crate) kind: Option<String>,

    /// The region, as your campaign names them (e.g. "London", "Wales")
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) region: Option<String>,

    /// The union, for union branches (e.g. Unite, UNISON)
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) union: Option<String>,
}

impl OrgDetails {
    /// Checks the details of a new org named `name`; `kind` must be given.
    pub(crate) fn new_org(
        &self,
        name: &str,
        parent_id: Option<i64>,
        code: Option<&str>,
    ) -> Result<NewOrg> {
        let name = clean_name(name).map_err(|err| anyhow::anyhow!("organisation name: {err}"))?;
        let Some(kind) = &self.kind else {
            bail!(
                "say what kind of body \"{name}\" is with --kind: clp, labour-branch, \
                 momentum-group, union-branch, trades-council or other"
            );
        };
        let kind: Kind = kind.parse()?;
        let union = text_arg("--union", self.union.as_deref(), MAX_NAME_CHARS)?;
        if union.is_some() && !kind.may_have_union() {
            bail!("a {kind} has no union; --union is for union branches and trades councils");
        }
        Ok(NewOrg {
            name,
            kind,
            region: text_arg("--region", self.region.as_deref(), MAX_NAME_CHARS)?,
            union,
            parent_id,
            code: text_arg("--code", code, MAX_NAME_CHARS)?,
        })
    }
}

/// List the registered organisations.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  motions org list --kind clp --region London\n  \
    motions org list --format csv -o orgs.csv"
)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    filter: FilterArgs,

    #[command(flatten)]
    output: OutputArgs,
}

/// The registry filters `org list`, `status` and `tally` share.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct FilterArgs {
    /// Only organisations of this kind
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,

    /// Only organisations in this region
    #[arg(long)]
    region: Option<String>,

    /// Only branches of this union
    #[arg(long)]
    union: Option<String>,
}

impl FilterArgs {
    /// The filter, with a region or union that no organisation has refused (it would only
    /// give zeros) and the known ones listed.
    pub(crate) fn parse(&self, store: &mut Store) -> Result<OrgFilter> {
        let filter = OrgFilter {
            kind: self.kind.as_deref().map(str::parse).transpose()?,
            region: clean_optional(self.region.as_deref()),
            union: clean_optional(self.union.as_deref()),
        };
        for (what, value, known) in [
            ("region", &filter.region, Dimension::Region),
            ("union", &filter.union, Dimension::Union),
        ] {
            let Some(value) = value else { continue };
            let known = store.values(known)?;
            if !known
                .iter()
                .any(|k| k.to_lowercase() == value.to_lowercase())
            {
                let hint = resolve::did_you_mean(value, &known);
                let list = if known.is_empty() {
                    "none yet".to_string()
                } else {
                    known.join(", ")
                };
                let more = format!("the {what}s are: {list}");
                bail!(
                    "no organisation has the {what} \"{value}\"{}",
                    resolve::then(&hint, &more)
                );
            }
        }
        Ok(filter)
    }
}

pub(crate) fn run(command: Command, ctx: &Context) -> Result<()> {
    match command {
        Command::Add(args) => add(args, ctx),
        Command::List(args) => list(args, ctx),
        Command::Rename(args) => {
            let mut store = ctx.store()?;
            let org = find(&mut store, &args.old)?;
            let new =
                clean_name(&args.new).map_err(|err| anyhow::anyhow!("the new name: {err}"))?;
            store.rename_org(&org, &new)?;
            note(format!(
                "Renamed {} to {new}; the old name still finds it",
                org.name
            ));
            Ok(())
        }
        Command::Alias(args) => {
            let mut store = ctx.store()?;
            let org = find(&mut store, &args.name)?;
            let alias =
                clean_name(&args.alias).map_err(|err| anyhow::anyhow!("the alias: {err}"))?;
            store.add_alias(&org, &alias)?;
            note(format!("\"{alias}\" now finds {}", org.name));
            Ok(())
        }
        Command::Merge(args) => merge(args, ctx),
        Command::Edit(args) => edit(args, ctx),
        Command::Remove(args) => {
            let mut store = ctx.store()?;
            let org = find(&mut store, &args.name)?;
            store.remove_org(&org)?;
            note(format!("Removed {}", describe(&org)));
            Ok(())
        }
    }
}

fn edit(args: EditArgs, ctx: &Context) -> Result<()> {
    let mut store = ctx.store()?;
    let org = find(&mut store, &args.name)?;
    let kind: Kind = match &args.kind {
        Some(kind) => kind.parse()?,
        None => org.kind,
    };
    // A flag given replaces the value, an empty one clears it; one not given keeps it.
    let change =
        |flag: &str, given: &Option<String>, now: &Option<String>| -> Result<Option<String>> {
            match given {
                Some(value) => text_arg(flag, Some(value), MAX_NAME_CHARS),
                None => Ok(now.clone()),
            }
        };
    let region = change("--region", &args.region, &org.region)?;
    let union = change("--union", &args.union, &org.union)?;
    let code = change("--code", &args.code, &org.code)?;
    if union.is_some() && !kind.may_have_union() {
        bail!("a {kind} has no union; clear it with --union \"\"");
    }
    let parent = match args.parent.as_deref().map(str::trim) {
        None => org
            .parent
            .as_deref()
            .map(|p| find(&mut store, p))
            .transpose()?,
        Some("") => None,
        Some(name) => Some(find(&mut store, name)?),
    };
    if let Some(parent) = &parent {
        if parent.id == org.id {
            bail!("an organisation cannot be its own parent");
        }
        if parent.kind != Kind::Clp || kind == Kind::Clp {
            bail!(
                "--parent names the CLP a branch belongs to: \"{}\" is a {}, and {} a {kind}",
                parent.name,
                parent.kind,
                org.name
            );
        }
    }
    let edited = NewOrg {
        name: org.name.clone(),
        kind,
        region,
        union,
        parent_id: parent.map(|p| p.id),
        code,
    };
    store.edit_org(&org, &edited)?;
    let updated = find(&mut store, &org.name)?;
    note(format!("Updated {}", describe(&updated)));
    Ok(())
}

fn merge(args: MergeArgs, ctx: &Context) -> Result<()> {
    let mut store = ctx.store()?;
    let from = find(&mut store, &args.from)?;
    let into = find(&mut store, &args.into)?;
    if from.id == into.id {
        bail!(
            "\"{}\" and \"{}\" are the same organisation already",
            args.from.trim(),
            args.into.trim()
        );
    }
    if from.kind != into.kind {
        bail!(
            "{} is a {} and {} a {}; only duplicates of one kind are merged",
            from.name,
            from.kind,
            into.name,
            into.kind
        );
    }
    // Refused inside the merge's own transaction when the two hold different decisions for
    // one meeting; the error lists them.
    let merged = store.merge_orgs(&from, &into)?;
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
    let mut store = ctx.store()?;
    let parent = match &args.parent {
        Some(parent) if name_key(parent) == name_key(&args.name) => {
            bail!(
                "an organisation cannot be its own parent; --parent names the CLP a branch belongs to"
            )
        }
        Some(parent) => {
            let parent = resolve::org(
                &mut store,
                parent,
                "register it first: motions org add NAME --kind clp",
            )?;
            if parent.kind != Kind::Clp {
                bail!(
                    "--parent names the CLP a branch belongs to, and \"{}\" is a {}, not a CLP",
                    parent.name,
                    parent.kind
                );
            }
            Some(parent)
        }
        None => None,
    };
    let new = args
        .details
        .new_org(&args.name, parent.map(|p| p.id), args.code.as_deref())?;
    if new.kind == Kind::Clp && new.parent_id.is_some() {
        bail!("a CLP belongs to no other CLP; --parent is for branches");
    }
    let org = store.add_org(&new)?;
    note(format!("Registered {}", describe(&org)));
    Ok(())
}

/// "Ashby CLP (clp, East Midlands)", for messages.
pub(crate) fn describe(org: &Org) -> String {
    let details: Vec<&str> = [
        Some(org.kind.as_str()),
        org.region.as_deref(),
        org.union.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    format!("{} ({})", org.name, details.join(", "))
}

fn list(args: ListArgs, ctx: &Context) -> Result<()> {
    let mut store = ctx.reader()?;
    let filter = args.filter.parse(&mut store)?;
    let orgs = store.orgs(&filter)?;
    let mut report = Report::new(org_columns("name"));
    report.rows = orgs.iter().map(org_cells).collect();
    emit(&args.output, &report, NO_ORGS)
}

/// What to say when no organisation is registered or matches.
pub(crate) const NO_ORGS: &str = "No registered organisation matches; register one with: \
    motions org add NAME --kind KIND";

/// The registry columns, which begin the `status` report too; the name's column is `name` in
/// the registry (as `import orgs` reads it) and `organisation` in reports.
pub(crate) fn org_columns(name_key: &str) -> Vec<Column> {
    [
        (name_key, "Organisation"),
        ("kind", "Kind"),
        ("region", "Region"),
        ("union", "Union"),
        ("parent", "Parent"),
        ("code", "Code"),
    ]
    .into_iter()
    .map(|(key, heading)| Column::new(key, heading))
    .collect()
}

pub(crate) fn org_cells(org: &Org) -> Vec<Cell> {
    vec![
        Cell::from(org.name.as_str()),
        Cell::from(org.kind.as_str()),
        Cell::opt(org.region.as_deref()),
        Cell::opt(org.union.as_deref()),
        Cell::opt(org.parent.as_deref()),
        Cell::opt(org.code.as_deref()),
    ]
}

/// Finds an org for a command that reads, with suggestions when the name is unknown.
pub(crate) fn find(store: &mut Store, name: &str) -> Result<Org> {
    resolve::org(store, name, "see the registry with: motions org list")
}
