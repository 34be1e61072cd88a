"""The suite shares a busy machine with CI: every wait for a server or a worker retries until its deadline, whatever
error a try ends in (a refused connection, a slow first answer, a reset). One helper does that
(``tests.support.wait_for``); no test writes its own loop."""

import ast
import itertools
from pathlib import Path

import pytest
import requests

from tests.support import wait_for

TESTS = Path(__file__).resolve().parent.parent


def test_a_wait_retries_on_any_error_until_it_gets_an_answer():
    answers = iter(
        [requests.ReadTimeout("slow first answer"), requests.ConnectionError("refused"), None, "up"]
    )

    def probe():
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert wait_for(probe, 5, "the server", interval=0) == "up"


def test_a_wait_ends_at_its_deadline_with_the_last_error():
    with pytest.raises(AssertionError, match="ConnectionError"):
        wait_for(lambda: requests.get("http://127.0.0.1:9/", timeout=0.01) and None, 0.2, "nothing")


def test_a_wait_ends_at_once_when_the_process_stopped():
    tries = itertools.count()
    with pytest.raises(AssertionError, match="stopped"):
        wait_for(lambda: next(tries) and None, 60, "a stopped worker", alive=lambda: False)


def loops_that_sleep(tree: ast.AST) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.While | ast.For)
        and any(
            isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "sleep"
            for call in ast.walk(node)
        )
    ]


def catches_connection_errors(tree: ast.AST) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.ExceptHandler)
        and node.type is not None
        and "ConnectionError" in ast.unparse(node.type)
    ]


@pytest.mark.parametrize("path", sorted(TESTS.rglob("*.py")), ids=lambda path: str(path.relative_to(TESTS)))
def test_no_test_waits_in_a_loop_of_its_own(path):
    tree = ast.parse(path.read_text())
    own = loops_that_sleep(tree) + catches_connection_errors(tree)
    if path.name == "support.py":
        own = [line for line in own if not _inside(tree, "wait_for", line)]
    assert not own, f"{path.name}, lines {own}: wait with tests.support.wait_for"


def _inside(tree: ast.AST, function: str, line: int) -> bool:
    return any(
        isinstance(node, ast.FunctionDef) and node.name == function and node.lineno <= line <= node.end_lineno
        for node in ast.walk(tree)
    )
