//! Flags more than one command takes, and the domain's words and dates as clap reads them: each
//! flag is parsed into its type once, at the edge, and a bad value is refused by clap with the
//! model's own message (exit 1, as for any bad input; see `Cli::parse_args`).

use anyhow::Result;
use chrono::NaiveDate;

use crate::db::Store;
use crate::model::{AsOf, BadDate, Kind, OrgFilter, Status, StatusFilter, parse_date_arg};
use crate::ops::registry::OrgRequest;

pub(crate) fn status(text: &str) -> Result<Status, String> {
    text.parse::<Status>().map_err(|err| err.to_string())
}

/// A status, a group of statuses or `any`, as `--status` selects them.
pub(crate) fn status_filter(text: &str) -> Result<StatusFilter, String> {
    text.parse::<StatusFilter>().map_err(|err| err.to_string())
}

pub(crate) fn kind(text: &str) -> Result<Kind, String> {
    text.parse::<Kind>().map_err(|err| err.to_string())
}

/// A date as typed on the command line: the contract's forms, `today` or `yesterday`.
pub(crate) fn date(text: &str) -> Result<NaiveDate, String> {
    parse_date_arg(text).map_err(|err: BadDate| err.to_string())
}

/// `--as-of`: a date in the contract's forms, or `deadline` for the motion's deadline.
pub(crate) fn as_of(text: &str) -> Result<AsOf, String> {
    AsOf::parse(text).map_err(|err| err.to_string())
}

/// What `org add`, and `log` when it registers a new organisation, ask about it.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct OrgDetails {
    /// What sort of body it is: clp, labour-branch, momentum-group, union-branch,
    /// trades-council or other
    #[arg(long, value_name = "KIND", value_parser = kind)]
    pub(crate) kind: Option<Kind>,

    /// The region, as your campaign names them (e.g. "London", "Wales"); one that looks like a
    /// slip for a region in use (or one of Labour's) is refused
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) region: Option<String>,

    /// A region not in use yet, taken as written even when it is close to one that is
    #[arg(
        long,
        value_name = "REGION",
        conflicts_with = "region",
        allow_hyphen_values = true
    )]
    pub(crate) new_region: Option<String>,

    /// The union, for union branches (e.g. Unite, UNISON); one that looks like a slip for a
    /// union in use is refused
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) union: Option<String>,

    /// A union not in use yet, taken as written even when it is close to one that is
    #[arg(
        long,
        value_name = "UNION",
        conflicts_with = "union",
        allow_hyphen_values = true
    )]
    pub(crate) new_union: Option<String>,
}

impl OrgDetails {
    /// The details of an organisation to register, with its code and parent.
    pub(crate) fn request(&self, code: Option<String>, parent: Option<String>) -> OrgRequest {
        OrgRequest {
            kind: self.kind,
            region: self.new_region.clone().or_else(|| self.region.clone()),
            union: self.new_union.clone().or_else(|| self.union.clone()),
            code,
            parent,
            new_region: self.new_region.is_some(),
            new_union: self.new_union.is_some(),
        }
    }
}

/// The registry filters `org list`, `status` and `tally` share.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct FilterArgs {
    /// Only organisations of this kind
    #[arg(long, value_name = "KIND", value_parser = kind)]
    kind: Option<Kind>,

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
        crate::ops::resolve::filter(
            store,
            self.kind,
            self.region.as_deref(),
            self.union.as_deref(),
        )
    }
}
