use std::collections::BTreeMap;

use kfp_dsl::kubernetes::KubernetesSettings;
use kfp_dsl::prelude::*;

#[component]
fn train() {}

#[pipeline]
fn p(tenants: Vec<BTreeMap<String, String>>) {
    parallel_for(tenants, |tenant| {
        // kfp-kubernetes writes a reference to `tenants-loop-item-subvar-claim`,
        // an input no group defines: the driver cannot resolve it.
        train().mount_pvc(tenant.field::<String>("claim"), "/data");
    });
}

fn main() {}
