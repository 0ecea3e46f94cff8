"""A named piece of work to time, with the number of PyTorch threads it runs on."""

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Case:
    name: str
    run: Callable[[], object]
    threads: int = 1
