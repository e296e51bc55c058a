"""dsl.OneOf over some branches of a chain; an unused OneOf takes a number."""
from kfp import compiler, dsl


@dsl.component
def flip() -> str:
    return 'heads'


@dsl.component
def say(text: str) -> str:
    return text


@dsl.pipeline(name='one-of-some-branches')
def one_of_some_branches() -> str:
    side = flip().output
    with dsl.If(side == 'heads'):
        heads = say(text='heads')
    with dsl.Elif(side == 'tails'):
        tails = say(text='tails')
        say(text='tails again')
    with dsl.Else():
        edge = say(text='edge')
    unused = dsl.OneOf(heads.output, tails.output, edge.output)
    some = dsl.OneOf(heads.output, edge.output)
    say(text=some)
    return some


if __name__ == '__main__':
    compiler.Compiler().compile(one_of_some_branches,
                                __file__.replace('.py', '.yaml'))
