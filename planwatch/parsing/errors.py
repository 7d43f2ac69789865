"""The one error type the parser raises for input it cannot turn into a plan."""

from __future__ import annotations


class ParseError(Exception):
    """Input that cannot be parsed. The message names the file and the problem in one line."""

    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        self.problem = problem
        super().__init__(f"{name}: {problem}")
