"""A pipeline config with resource TTLs and a deadline: kfp writes those
above zero, and the workspace is left out."""
from kfp import compiler, dsl


@dsl.component
def hello(name: str) -> str:
    return f'hello {name}'


@dsl.pipeline(
    name='pipeline-config-lifetime',
    pipeline_config=dsl.PipelineConfig(
        ttl_seconds_after_finished=3600,
        ttl_seconds_after_success=0,
        ttl_seconds_after_failure=86400,
        active_deadline_seconds=600,
    ),
)
def pipeline_config_lifetime(name: str = 'world'):
    hello(name=name)


if __name__ == '__main__':
    compiler.Compiler().compile(pipeline_config_lifetime,
                                __file__.replace('.py', '.yaml'))
