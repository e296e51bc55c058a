"""kfp-kubernetes settings given constants, run-time values, or both."""
from kfp import compiler, dsl, kubernetes


@dsl.component
def secret_name() -> str:
    return 'from-task'


@dsl.component
def train():
    pass


@dsl.pipeline(name='kubernetes-runtime-settings')
def kubernetes_runtime_settings(pull_secret: str = 'from-input',
                                tolerations: list = [{'key': 'gpu'}]):
    name = secret_name()
    task = train()
    kubernetes.set_image_pull_secrets(task, ['constant', pull_secret, name.output])
    kubernetes.add_toleration_json(task, {'key': 'a', 'operator': 'Equal', 'value': 'b', 'effect': 'NoSchedule'})
    kubernetes.add_toleration_json(task, [
        {'key': 'c', 'operator': 'Exists', 'effect': 'NoExecute', 'toleration_seconds': 30},
        {'key': 'd', 'operator': 'Exists'},
    ])
    kubernetes.add_toleration_json(task, tolerations)
    with dsl.ParallelFor([{'key': 'e', 'operator': 'Exists'}]) as item:
        looped = train()
        kubernetes.add_toleration_json(looped, item)
        kubernetes.add_node_selector_json(looped, item)


if __name__ == '__main__':
    compiler.Compiler().compile(kubernetes_runtime_settings,
                                __file__.replace('.py', '.yaml'))
