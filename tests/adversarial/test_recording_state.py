"""Issue 17, item 6: no_grad() and scope() belong to the running context (thread or
asyncio task), not to the thread: one task's block never changes another's graph."""

import asyncio
from contextlib import contextmanager

from chainrule.autograd import Value, is_recording, no_grad, scope


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


def _batches():
    with no_grad():
        yield "suspended inside its no_grad block"
        yield is_recording()      # resumed: inside its block again
    yield is_recording()          # after its block


def test_a_generator_suspended_inside_no_grad_does_not_stop_its_callers_backward():
    batches = _batches()
    next(batches)
    x = Value(3.0)
    y = x * x
    y.backward()
    assert x.grad == 6.0 and is_recording()
    assert next(batches) is False          # resumed, the generator is not recording
    assert is_recording()                  # ... and suspended again, the caller is
    assert next(batches) is True


def test_a_generator_leaving_its_block_does_not_end_the_callers_own_no_grad():
    batches = _batches()
    next(batches)
    with no_grad():
        next(batches)
        next(batches)                      # the generator leaves its block here
        assert not is_recording() and (Value(2.0) * 3).parents == ()
    assert is_recording() and len((Value(2.0) * 3).parents) == 2


def test_a_generator_entered_inside_the_callers_no_grad_leaves_it_on_while_suspended():
    with no_grad():
        batches = _batches()
        next(batches)
        assert not is_recording()          # the caller's own block
    assert is_recording()                  # the caller left; the generator is suspended
    assert next(batches) is False


def test_no_grad_wrapped_in_a_context_manager_generator_still_applies_in_the_with_body():
    @contextmanager
    def evaluating():
        with no_grad():
            yield

    with evaluating():
        assert not is_recording()
    assert is_recording()

    def generator_using_it():
        with evaluating():
            yield is_recording()

    inside = generator_using_it()
    assert next(inside) is False and is_recording()


def test_no_grad_as_a_decorator_still_applies():
    @no_grad()
    def evaluate(x):
        return is_recording(), x * 2

    recording, y = evaluate(Value(1.0))
    assert recording is False and y.parents == () and is_recording()


def test_an_async_generator_suspended_inside_no_grad_does_not_stop_its_caller_either():
    async def batches():
        with no_grad():
            yield is_recording()

    async def consume() -> tuple[bool, bool]:
        inside = await batches().__anext__()
        return inside, is_recording()

    assert asyncio.run(consume()) == (False, True)


def test_dropping_a_suspended_generator_closes_its_block():
    from chainrule.autograd import state
    batches = _batches()
    next(batches)
    del batches                               # closed: its with-block exits
    assert not state.NO_GRAD_DEPTH and state.NO_GRAD.get() is None


async def _started_inside_no_grad(other_block_open_elsewhere: bool) -> tuple[bool, bool]:
    async def child(parent_closed: asyncio.Event) -> tuple[bool, bool]:
        await parent_closed.wait()
        before = is_recording()
        with no_grad():
            pass
        return before, is_recording()

    async def elsewhere(started: asyncio.Event, done: asyncio.Event) -> None:
        with no_grad():
            started.set()
            await done.wait()

    parent_closed, started, done = asyncio.Event(), asyncio.Event(), asyncio.Event()
    if other_block_open_elsewhere:
        other = asyncio.create_task(elsewhere(started, done))
        await started.wait()
    with no_grad():
        task = asyncio.create_task(child(parent_closed))
    parent_closed.set()
    result = await task
    done.set()
    if other_block_open_elsewhere:
        await other
    return result


def test_a_task_started_inside_no_grad_records_once_that_block_has_closed():
    for other_block_open_elsewhere in (False, True):
        before, after = asyncio.run(_started_inside_no_grad(other_block_open_elsewhere))
        assert before is True and after is True, other_block_open_elsewhere
