"""Dict, list and struct defaults (kfp-rs: `#[kfp(default = json!(..))]`)."""
from typing import Dict, List

from kfp import compiler, dsl


@dsl.component
def train(
    config: Dict[str, int] = {'depth': 3, 'width': 8},
    layers: List[Dict[str, str]] = [{'kind': 'dense'}, {'kind': 'dropout'}],
    rate: float = 1,
) -> str:
    return f'{config} {layers} {rate}'


@dsl.pipeline(name='struct-defaults')
def struct_defaults(
    settings: dict = {'tags': ['a', 'b']},
    grid: List[dict] = [{'lr': 0.1}, {'lr': 0.01}],
):
    train()
    train(config={'depth': 1}, layers=[], rate=2.0)


if __name__ == '__main__':
    compiler.Compiler().compile(struct_defaults, __file__.replace('.py', '.yaml'))
