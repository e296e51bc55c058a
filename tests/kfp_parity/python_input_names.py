"""Inputs and outputs named as Python names them (`retryCount`)."""
from kfp import compiler, dsl
from kfp.dsl import Output, Dataset, OutputPath


@dsl.component
def fetch(retryCount: int, sourceUrl: str, outData: Output[Dataset], rowCount: OutputPath(int), maxWait: float = 1):
    pass


@dsl.pipeline(name='python-input-names')
def python_input_names(retryCount: int = 3):
    fetch(retryCount=retryCount, sourceUrl='gs://b/x', maxWait=2.0)


if __name__ == '__main__':
    compiler.Compiler().compile(python_input_names,
                                __file__.replace('.py', '.yaml'))
