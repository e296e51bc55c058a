//! The endpoints of the v2beta1 API, as methods of [`Client`].

use reqwest::Method;

use crate::client::{Body, Call, Client};
use crate::error::{Error, Result};
use crate::models::*;

fn opt(key: &'static str, value: Option<&str>) -> Vec<(&'static str, String)> {
    value
        .filter(|v| !v.is_empty())
        .map(|v| vec![(key, v.to_owned())])
        .unwrap_or_default()
}

impl Client {
    /// `GET /healthz`: the server's mode and version.
    pub async fn healthz(&self) -> Result<Healthz> {
        self.json(Call::new(Method::GET, ["healthz"])).await
    }

    // ----- pipelines -------------------------------------------------------

    /// Uploads a pipeline package as a new pipeline (multipart
    /// `uploadfile`, metadata in the query, as kfp.Client sends it).
    pub async fn upload_pipeline(&self, upload: &PipelineUpload) -> Result<Pipeline> {
        self.upload(["pipelines", "upload"], upload, None).await
    }

    /// Uploads a pipeline package as a new version of `pipeline_id`.
    pub async fn upload_pipeline_version(
        &self,
        pipeline_id: &str,
        upload: &PipelineUpload,
    ) -> Result<PipelineVersion> {
        if pipeline_id.is_empty() {
            return Err(Error::InvalidRequest(
                "a pipeline version upload needs a pipeline id".into(),
            ));
        }
        self.upload(["pipelines", "upload_version"], upload, Some(pipeline_id))
            .await
    }

    async fn upload<T: serde::de::DeserializeOwned>(
        &self,
        segments: [&str; 2],
        upload: &PipelineUpload,
        version_of: Option<&str>,
    ) -> Result<T> {
        if upload.file_name.is_empty() {
            return Err(Error::InvalidRequest(
                "an upload needs a file name (its extension tells the server how to read it)"
                    .into(),
            ));
        }
        let mut call = Call::new(Method::POST, segments).query(upload.query(version_of));
        if version_of.is_some() {
            // The answer is the version, with its spec.
            call = call.carrying_pipeline_spec();
        }
        call.body = Body::Upload {
            file_name: upload.file_name.clone(),
            content: upload.content.clone(),
        };
        self.json(call).await
    }

    /// Lists pipelines.
    pub async fn list_pipelines(&self, options: &ListOptions) -> Result<ListPipelinesResponse> {
        self.json(Call::new(Method::GET, ["pipelines"]).query(options.query()))
            .await
    }

    /// Gets a pipeline by id.
    pub async fn get_pipeline(&self, pipeline_id: &str) -> Result<Pipeline> {
        self.json(Call::new(Method::GET, ["pipelines", pipeline_id]))
            .await
    }

    /// Finds a pipeline by its unique name, with a list filtered on `name`
    /// (as kfp.Client's `get_pipeline_id` does). `None` when there is none.
    pub async fn get_pipeline_by_name(
        &self,
        name: &str,
        namespace: Option<&str>,
    ) -> Result<Option<Pipeline>> {
        let mut options = ListOptions::filtered(Filter::string_equals("name", name));
        options.namespace = namespace.map(str::to_owned);
        let page = self.list_pipelines(&options).await?;
        match page.pipelines.len() {
            0 | 1 => Ok(page.pipelines.into_iter().next()),
            n => Err(Error::InvalidRequest(format!(
                "{n} pipelines are named `{name}`; use an id"
            ))),
        }
    }

    /// Deletes a pipeline; with `cascade`, its versions too (otherwise a
    /// pipeline with versions cannot be deleted).
    pub async fn delete_pipeline(&self, pipeline_id: &str, cascade: bool) -> Result<()> {
        let query = if cascade {
            vec![("cascade", "true".to_owned())]
        } else {
            Vec::new()
        };
        self.unit(Call::new(Method::DELETE, ["pipelines", pipeline_id]).query(query))
            .await
    }

    // ----- pipeline versions -------------------------------------------

    /// Lists the versions of a pipeline (`namespace` in `options` is not
    /// used: versions live in their pipeline's namespace).
    pub async fn list_pipeline_versions(
        &self,
        pipeline_id: &str,
        options: &ListOptions,
    ) -> Result<ListPipelineVersionsResponse> {
        let mut options = options.clone();
        options.namespace = None;
        self.json(
            Call::new(Method::GET, ["pipelines", pipeline_id, "versions"])
                .query(options.query())
                .carrying_pipeline_spec(),
        )
        .await
    }

    /// Gets a pipeline version.
    pub async fn get_pipeline_version(
        &self,
        pipeline_id: &str,
        version_id: &str,
    ) -> Result<PipelineVersion> {
        self.json(
            Call::new(
                Method::GET,
                ["pipelines", pipeline_id, "versions", version_id],
            )
            .carrying_pipeline_spec(),
        )
        .await
    }

    /// Deletes a pipeline version.
    pub async fn delete_pipeline_version(&self, pipeline_id: &str, version_id: &str) -> Result<()> {
        self.unit(Call::new(
            Method::DELETE,
            ["pipelines", pipeline_id, "versions", version_id],
        ))
        .await
    }

    // ----- experiments ---------------------------------------------------

    /// Creates an experiment.
    pub async fn create_experiment(&self, experiment: &NewExperiment) -> Result<Experiment> {
        self.json(Call::new(Method::POST, ["experiments"]).json(experiment)?)
            .await
    }

    /// Gets an experiment by id.
    pub async fn get_experiment(&self, experiment_id: &str) -> Result<Experiment> {
        self.json(Call::new(Method::GET, ["experiments", experiment_id]))
            .await
    }

    /// Lists experiments.
    pub async fn list_experiments(&self, options: &ListOptions) -> Result<ListExperimentsResponse> {
        self.json(Call::new(Method::GET, ["experiments"]).query(options.query()))
            .await
    }

    /// Finds an experiment by display name in a namespace.
    pub async fn get_experiment_by_name(
        &self,
        name: &str,
        namespace: Option<&str>,
    ) -> Result<Option<Experiment>> {
        let mut options = ListOptions::filtered(Filter::string_equals("display_name", name));
        options.namespace = namespace.map(str::to_owned);
        Ok(self
            .list_experiments(&options)
            .await?
            .experiments
            .into_iter()
            .next())
    }

    /// Returns the experiment named `name`, creating it if there is none
    /// (kfp.Client's `create_experiment` does the same lookup first).
    pub async fn ensure_experiment(
        &self,
        name: &str,
        namespace: Option<&str>,
    ) -> Result<Experiment> {
        if let Some(found) = self.get_experiment_by_name(name, namespace).await? {
            return Ok(found);
        }
        self.create_experiment(&NewExperiment {
            display_name: name.to_owned(),
            description: None,
            namespace: namespace.map(str::to_owned),
        })
        .await
    }

    /// Archives an experiment (and its runs).
    pub async fn archive_experiment(&self, experiment_id: &str) -> Result<()> {
        self.unit(Call::new(
            Method::POST,
            ["experiments".to_owned(), format!("{experiment_id}:archive")],
        ))
        .await
    }

    /// Unarchives an experiment.
    pub async fn unarchive_experiment(&self, experiment_id: &str) -> Result<()> {
        self.unit(Call::new(
            Method::POST,
            [
                "experiments".to_owned(),
                format!("{experiment_id}:unarchive"),
            ],
        ))
        .await
    }

    /// Deletes an experiment.
    pub async fn delete_experiment(&self, experiment_id: &str) -> Result<()> {
        self.unit(Call::new(Method::DELETE, ["experiments", experiment_id]))
            .await
    }

    // ----- runs ----------------------------------------------------------

    /// Creates a run. Never retried, so it is never created twice.
    pub async fn create_run(&self, run: &NewRun) -> Result<Run> {
        if run.display_name.trim().is_empty() {
            return Err(Error::InvalidRequest("a run needs a display name".into()));
        }
        self.json(
            Call::new(Method::POST, ["runs"])
                .json(run)?
                .carrying_pipeline_spec(),
        )
        .await
    }

    /// Gets a run, with its task details.
    pub async fn get_run(&self, run_id: &str) -> Result<Run> {
        self.json(Call::new(Method::GET, ["runs", run_id]).carrying_pipeline_spec())
            .await
    }

    /// Lists runs, optionally of one experiment.
    pub async fn list_runs(
        &self,
        experiment_id: Option<&str>,
        options: &ListOptions,
    ) -> Result<ListRunsResponse> {
        let mut query = opt("experiment_id", experiment_id);
        query.extend(options.query());
        self.json(
            Call::new(Method::GET, ["runs"])
                .query(query)
                .carrying_pipeline_spec(),
        )
        .await
    }

    async fn run_action(&self, run_id: &str, action: &str) -> Result<()> {
        self.unit(Call::new(
            Method::POST,
            ["runs".to_owned(), format!("{run_id}:{action}")],
        ))
        .await
    }

    /// Terminates a run: it moves to CANCELING, then CANCELED.
    pub async fn terminate_run(&self, run_id: &str) -> Result<()> {
        self.run_action(run_id, "terminate").await
    }

    /// Retries a failed or terminated run.
    pub async fn retry_run(&self, run_id: &str) -> Result<()> {
        self.run_action(run_id, "retry").await
    }

    /// Archives a run.
    pub async fn archive_run(&self, run_id: &str) -> Result<()> {
        self.run_action(run_id, "archive").await
    }

    /// Unarchives a run.
    pub async fn unarchive_run(&self, run_id: &str) -> Result<()> {
        self.run_action(run_id, "unarchive").await
    }

    /// Deletes a run.
    pub async fn delete_run(&self, run_id: &str) -> Result<()> {
        self.unit(Call::new(Method::DELETE, ["runs", run_id])).await
    }

    // ----- recurring runs -------------------------------------------------

    /// Creates a recurring run. Never retried.
    pub async fn create_recurring_run(&self, recurring: &NewRecurringRun) -> Result<RecurringRun> {
        let trigger = &recurring.trigger;
        if trigger.cron_schedule.is_some() == trigger.periodic_schedule.is_some() {
            return Err(Error::InvalidRequest(
                "a recurring run needs exactly one of a cron or a periodic trigger".into(),
            ));
        }
        self.json(
            Call::new(Method::POST, ["recurringruns"])
                .json(recurring)?
                .carrying_pipeline_spec(),
        )
        .await
    }

    /// Gets a recurring run.
    pub async fn get_recurring_run(&self, recurring_run_id: &str) -> Result<RecurringRun> {
        self.json(
            Call::new(Method::GET, ["recurringruns", recurring_run_id]).carrying_pipeline_spec(),
        )
        .await
    }

    /// Lists recurring runs, optionally of one experiment.
    pub async fn list_recurring_runs(
        &self,
        experiment_id: Option<&str>,
        options: &ListOptions,
    ) -> Result<ListRecurringRunsResponse> {
        let mut query = options.query();
        query.extend(opt("experiment_id", experiment_id));
        self.json(
            Call::new(Method::GET, ["recurringruns"])
                .query(query)
                .carrying_pipeline_spec(),
        )
        .await
    }

    /// Enables a recurring run.
    pub async fn enable_recurring_run(&self, recurring_run_id: &str) -> Result<()> {
        self.unit(Call::new(
            Method::POST,
            [
                "recurringruns".to_owned(),
                format!("{recurring_run_id}:enable"),
            ],
        ))
        .await
    }

    /// Disables a recurring run.
    pub async fn disable_recurring_run(&self, recurring_run_id: &str) -> Result<()> {
        self.unit(Call::new(
            Method::POST,
            [
                "recurringruns".to_owned(),
                format!("{recurring_run_id}:disable"),
            ],
        ))
        .await
    }

    /// Deletes a recurring run.
    pub async fn delete_recurring_run(&self, recurring_run_id: &str) -> Result<()> {
        self.unit(Call::new(
            Method::DELETE,
            ["recurringruns", recurring_run_id],
        ))
        .await
    }
}
