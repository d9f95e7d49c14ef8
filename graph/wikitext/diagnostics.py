"""What a stage says about the input it could not read as it expected: a page, a line, a column, a code.

Printed as ``FILE:LINE:COL: SEVERITY: MESSAGE [code]`` (the form compilers use) or written as JSON Lines.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int
    column: int
    severity: str  # "error" | "warning" | "info"
    code: str
    message: str

    def format(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message} [{self.code}]"
