"""A workspace with a size only, used by an f-string, a path under its
mount, and an importer; a task output inside a dict argument."""
from kfp import compiler, dsl


@dsl.component
def write(path: str) -> str:
    return path


@dsl.component
def read(data: dsl.Input[dsl.Dataset], config: dict) -> str:
    return data.path


@dsl.pipeline(
    name='workspace-and-nested-values',
    pipeline_config=dsl.PipelineConfig(
        workspace=dsl.WorkspaceConfig(size=' 2Gi ')),
)
def workspace_and_nested_values(uri: str = 'gs://bucket/data.csv'):
    written = write(path=f'{dsl.WORKSPACE_PATH_PLACEHOLDER}/data')
    write(path='/kfp-workspace/fixed')
    imported = dsl.importer(
        artifact_uri=uri,
        artifact_class=dsl.Dataset,
        download_to_workspace=True,
    )
    read(
        data=imported.output,
        config={
            'path': written.output,
            'files': [f'{written.output}/a', 'fixed'],
            'count': 1,
        },
    )


if __name__ == '__main__':
    compiler.Compiler().compile(workspace_and_nested_values,
                                __file__.replace('.py', '.yaml'))
