"""A setting that reads a task created after the task it is set on."""
from kfp import compiler, dsl


@dsl.component
def train(epochs: int) -> str:
    return str(epochs)


@dsl.component
def pick_cpu() -> str:
    return '2'


@dsl.component
def pick_image() -> str:
    return 'python:3.12'


@dsl.pipeline(name='setting-reads-later-task')
def setting_reads_later_task():
    trained = train(epochs=3)
    cpu = pick_cpu()
    image = pick_image()
    trained.set_cpu_request(cpu.output)
    trained.set_container_image(image.output)
    last = train(epochs=1)
    trained.after(last)


if __name__ == '__main__':
    compiler.Compiler().compile(setting_reads_later_task,
                                __file__.replace('.py', '.yaml'))
