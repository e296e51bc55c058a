//! A container's resources as kfp writes them: the `resource*` strings
//! (a literal or the placeholder of a runtime value), plus the deprecated
//! numbers kfp derives from a literal
//! ([`kfp_ir_schema::resources`]: `_cpu_to_float`, `_memory_to_float`).

use kfp_ir_schema::resources::{cpu_to_float, memory_to_float};
use kfp_ir_schema::{self as ir, CompactString};

use super::context::TaskCx;
use crate::error::{CompileError, TaskError};
use crate::graph::ConfigValue;

impl<'a> TaskCx<'a> {
    /// kfp's resources: the `resource*` strings, plus the deprecated
    /// doubles for literal values.
    pub(super) fn resources(&self) -> Result<Option<ir::ResourceSpec>, CompileError> {
        let r = &self.task.config.resources;
        if r.is_empty() {
            return Ok(None);
        }
        let mut spec = ir::ResourceSpec::default();
        let cpu = |setting, value: &'a ConfigValue| -> Result<(CompactString, f64), CompileError> {
            let (s, literal) = self.runtime_string(setting, value)?;
            let number = match literal {
                Some(l) => cpu_to_float(l).ok_or_else(|| {
                    self.err(TaskError::InvalidSetting {
                        setting,
                        value: l.to_owned(),
                        reason: "expected a number, or a number followed by `m`",
                    })
                })?,
                None => 0.0,
            };
            Ok((s, number))
        };
        let memory = |setting,
                      value: &'a ConfigValue|
         -> Result<(CompactString, f64), CompileError> {
            let (s, literal) = self.runtime_string(setting, value)?;
            let number = match literal {
                Some(l) => memory_to_float(l).ok_or_else(|| {
                    self.err(TaskError::InvalidSetting {
                        setting,
                        value: l.to_owned(),
                        reason: "expected an integer, optionally followed by one of E, Ei, P, Pi, T, Ti, G, Gi, M, Mi, K, Ki",
                    })
                })?,
                None => 0.0,
            };
            Ok((s, number))
        };
        if let Some(v) = &r.cpu_request {
            (spec.resource_cpu_request, spec.cpu_request) = cpu("cpu_request", v)?;
        }
        if let Some(v) = &r.cpu_limit {
            (spec.resource_cpu_limit, spec.cpu_limit) = cpu("cpu_limit", v)?;
        }
        if let Some(v) = &r.memory_request {
            (spec.resource_memory_request, spec.memory_request) = memory("memory_request", v)?;
        }
        if let Some(v) = &r.memory_limit {
            (spec.resource_memory_limit, spec.memory_limit) = memory("memory_limit", v)?;
        }
        spec.accelerator = self.accelerator()?;
        Ok(Some(spec))
    }

    /// The accelerator: kfp sets the count to 1 with the type, and writes
    /// an accelerator whenever a count is set.
    fn accelerator(&self) -> Result<Option<ir::AcceleratorConfig>, CompileError> {
        let r = &self.task.config.resources;
        let one = ConfigValue::Literal("1".into());
        let Some(count) = r
            .accelerator_limit
            .as_ref()
            .or(r.accelerator_type.as_ref().map(|_| &one))
        else {
            return Ok(None);
        };
        let mut accelerator = ir::AcceleratorConfig::default();
        if let Some(t) = &r.accelerator_type {
            let (s, literal) = self.runtime_string("accelerator_type", t)?;
            accelerator.resource_type = s;
            accelerator.r#type = literal.unwrap_or_default().into();
        }
        let (s, literal) = match count {
            ConfigValue::Literal(l) => (l.as_str().into(), Some(l.as_str())),
            other => (self.runtime_string("accelerator_count", other)?.0, None),
        };
        if let Some(l) = literal {
            accelerator.count = (!l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()))
                .then(|| l.parse::<i64>().ok())
                .flatten()
                .ok_or_else(|| {
                    self.err(TaskError::InvalidSetting {
                        setting: "accelerator_limit",
                        value: l.to_owned(),
                        reason: "expected a non-negative integer",
                    })
                })?;
        }
        accelerator.resource_count = s;
        Ok(Some(accelerator))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quantities the deprecated numbers are read from, as kfp reads
    /// them (the rule is kfp-ir-schema's; the IR the compiler writes
    /// depends on it).
    #[test]
    fn resources_convert_as_kfp() {
        assert_eq!(cpu_to_float("500m"), Some(0.5));
        assert_eq!(cpu_to_float("1000m"), Some(1.0));
        assert_eq!(cpu_to_float("2"), Some(2.0));
        assert_eq!(cpu_to_float(".5"), Some(0.5));
        assert_eq!(cpu_to_float("1."), None);
        assert_eq!(cpu_to_float("m"), None);
        assert_eq!(memory_to_float("256Mi"), Some(0.268435456));
        assert_eq!(memory_to_float("1Gi"), Some(1.073741824));
        assert_eq!(memory_to_float("15G"), Some(15.0));
        assert_eq!(memory_to_float("1.5G"), None);
        assert_eq!(memory_to_float("Gi"), None);
    }
}
