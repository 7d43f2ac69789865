"""planwatch.parsing — the plan document parser, a library that imports nothing from Django.

from planwatch.parsing import parse_file, parse_bytes, ParseError
result = parse_file("plan.txt")      # -> ParseResult (see model.py)
"""

from planwatch.parsing.errors import ParseError
from planwatch.parsing.model import ParseResult
from planwatch.parsing.pipeline import parse_bytes, parse_file

__all__ = ["ParseError", "ParseResult", "parse_bytes", "parse_file"]
