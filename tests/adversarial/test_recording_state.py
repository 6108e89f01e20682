"""Issue 17, item 6: no_grad() and scope() belong to the running context (thread or
asyncio task), not to the thread: one task's block never changes another's graph."""

import asyncio

from chainrule.autograd import Value, no_grad, scope


async def _under_no_grad(started: asyncio.Event, done: asyncio.Event) -> None:
    with no_grad():
        started.set()
        await done.wait()          # suspended inside the block


async def _under_scope(started: asyncio.Event, done: asyncio.Event) -> None:
    with scope("other"):
        started.set()
        await done.wait()


async def _while_another_task_is_inside(block) -> tuple[float, object]:
    started, done = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(block(started, done))
    await started.wait()
    x = Value(3.0)
    y = x * x
    y.backward()
    done.set()
    await task
    return x.grad, y.scope


def test_another_tasks_no_grad_block_does_not_stop_this_tasks_backward():
    grad, _ = asyncio.run(_while_another_task_is_inside(_under_no_grad))
    assert grad == 6.0             # 2x, not 0 from an unrecorded graph


def test_another_tasks_scope_does_not_tag_this_tasks_nodes():
    _, node_scope = asyncio.run(_while_another_task_is_inside(_under_scope))
    assert node_scope is None
