"""Every kfp-kubernetes setting that reads a run-time value, reading one:
object names from a pipeline input, a task output and the item of a loop
over a bare `list`; JSON settings from a task output and a pipeline input
read inside a loop."""
from kfp import compiler, dsl, kubernetes


@dsl.component
def make_name() -> str:
    return 'generated'


@dsl.component
def make_json() -> dict:
    return {}


@dsl.component
def train():
    pass


@dsl.pipeline(name='kubernetes-runtime-names')
def kubernetes_runtime_names(secret: str, config_map: str, tenants: list,
                             affinity: dict):
    name = make_name()
    selector = make_json()
    task = train()
    kubernetes.use_secret_as_env(task, secret, {'token': 'TOKEN'})
    kubernetes.use_secret_as_volume(task, name.output, '/etc/generated')
    kubernetes.use_config_map_as_env(task, name.output, {'key': 'KEY'})
    kubernetes.use_config_map_as_volume(task, config_map, '/etc/config')
    kubernetes.mount_pvc(task, name.output, '/data')
    kubernetes.set_image_pull_secrets(task, [secret])
    kubernetes.add_node_selector_json(task, selector.output)
    kubernetes.add_toleration_json(task, selector.output)
    with dsl.ParallelFor(tenants) as tenant:
        looped = train()
        kubernetes.use_secret_as_volume(looped, tenant, '/etc/tenant')
        kubernetes.use_config_map_as_env(looped, tenant, {'key': 'KEY'})
        kubernetes.mount_pvc(looped, tenant, '/tenant')
        kubernetes.set_image_pull_secrets(looped, [tenant])
        kubernetes.add_node_affinity_json(looped, affinity)


if __name__ == '__main__':
    compiler.Compiler().compile(kubernetes_runtime_names,
                                __file__.replace('.py', '.yaml'))
