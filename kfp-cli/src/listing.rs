//! Paging, sorting and filtering of the `list` subcommands.

use clap::Args;
use kfp_client::models::{Filter, ListOptions, PredicateOperation, PredicateValue};

/// Paging and sorting of a list.
#[derive(Args, Debug, Clone, Default)]
pub struct ListArgs {
    /// Entries per page (the server caps at 200).
    #[arg(long, default_value_t = 20)]
    pub page_size: u32,
    /// The `next_page_token` printed by the previous page.
    #[arg(long)]
    pub page_token: Option<String>,
    /// Sort key and direction, e.g. `created_at desc`.
    #[arg(long)]
    pub sort_by: Option<String>,
    /// Only entries whose name contains this text.
    #[arg(long)]
    pub name_contains: Option<String>,
}

/// The list options `list` asks for; `--name-contains` filters on
/// `name_key`.
pub fn list_options(list: &ListArgs, namespace: Option<&str>, name_key: &str) -> ListOptions {
    ListOptions {
        page_token: list.page_token.clone(),
        page_size: Some(list.page_size),
        sort_by: list.sort_by.clone(),
        filter: list.name_contains.as_ref().map(|text| {
            Filter::default().and(
                name_key,
                PredicateOperation::IsSubstring,
                PredicateValue::String(text.clone()),
            )
        }),
        namespace: namespace.map(str::to_owned),
    }
}
