//! `kfp experiment create|list`.

use anyhow::{Result, anyhow};
use clap::Subcommand;
use kfp_client::Client;
use kfp_client::models::{Experiment, NewExperiment};

use crate::connect::GlobalOpts;
use crate::listing::{ListArgs, list_options};
use crate::output::{Output, Table, opt_str};

/// `kfp experiment ...`.
#[derive(Subcommand, Debug, Clone)]
pub enum ExperimentCommand {
    /// Create an experiment.
    Create {
        /// Its name.
        name: String,
        /// A description.
        #[arg(long)]
        description: Option<String>,
    },
    /// List experiments.
    List(ListArgs),
}

/// Runs `kfp experiment ...`.
pub async fn execute(
    client: &Client,
    g: &GlobalOpts,
    out: &Output,
    cmd: ExperimentCommand,
) -> Result<i32> {
    match cmd {
        ExperimentCommand::Create { name, description } => {
            let e = client
                .create_experiment(&NewExperiment {
                    display_name: name,
                    description,
                    namespace: g.namespace.clone(),
                })
                .await?;
            out.value(&e, || experiments_table(std::slice::from_ref(&e)))?;
        }
        ExperimentCommand::List(list) => {
            let page = client
                .list_experiments(&list_options(&list, g.namespace.as_deref(), "display_name"))
                .await?;
            out.value(&page, || {
                experiments_table(&page.experiments).next_page(&page.next_page_token)
            })?;
        }
    }
    Ok(0)
}

/// The id of the experiment named `name` (in `--namespace`).
pub async fn id_by_name(client: &Client, g: &GlobalOpts, name: &str) -> Result<String> {
    Ok(client
        .get_experiment_by_name(name, g.namespace.as_deref())
        .await?
        .ok_or_else(|| anyhow!("no experiment is named `{name}`"))?
        .experiment_id)
}

fn experiments_table(experiments: &[Experiment]) -> Table {
    let mut t = Table::new(&["EXPERIMENT ID", "NAME", "NAMESPACE", "STATE", "CREATED"]);
    for e in experiments {
        t.row(vec![
            e.experiment_id.clone(),
            e.display_name.clone(),
            e.namespace.clone(),
            e.storage_state.to_string(),
            opt_str(&e.created_at),
        ]);
    }
    t
}
