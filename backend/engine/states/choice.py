"""Choice: picks the next state from the first rule that matches (or ``Default``)."""

from __future__ import annotations

from typing import Any

from ..definition import JSONATA, CompileContext, Node
from ..errors import NO_CHOICE_MATCHED, StatesError
from ..fields.choice_rules import compile_condition, compile_rule
from ..fields.io import compile_io, evaluate_jsonata
from .base import State, _resolve


class ChoiceRule:
    """One entry of ``Choices``: a predicate, its target and (JSONata) its own Assign/Output."""

    __slots__ = ("predicate", "next_name", "next", "io")

    def __init__(self, node: Node, language: str):
        self.next_name = node.string("Next", required=True)
        self.next: State | None = None
        if language == JSONATA:
            self.predicate = compile_condition(node)
        else:
            self.predicate = compile_rule(node, True)
        self.io = compile_io(node, language, parameters_key=None, has_result=False) \
            if ("Assign" in node or "Output" in node) else None


class StateChoice(State):
    type_name = "Choice"

    def __init__(self, name: str, node: Node, context: CompileContext):
        super().__init__(name, node, context)
        if "Next" in node or "End" in node:
            raise node.error("Next" if "Next" in node else "End", "Choice states have no 'Next' or 'End'")
        choices = node.array("Choices", required=True)
        if not choices:
            raise node.error("Choices", "'Choices' must be a non-empty array")
        self.rules = tuple(
            ChoiceRule(Node(item, f"{node.at('Choices')}/{i}"), self.language) for i, item in enumerate(choices)
        )
        self.default_name = node.string("Default")
        self.default: State | None = None
        self.io = compile_io(node, self.language, parameters_key=None, has_result=False)

    def link(self, states: dict[str, State]) -> None:
        for i, rule in enumerate(self.rules):
            rule.next = _resolve(states, rule.next_name, f"{self.pointer}/Choices/{i}/Next")
        if self.default_name is not None:
            self.default = _resolve(states, self.default_name, f"{self.pointer}/Default")

    def execute(self, frame: Any, raw: Any) -> tuple[Any, State | None]:
        io = self.io
        effective = io.effective_input(frame, raw)
        if self.language == JSONATA:
            subject = {"input": effective, "context": frame.context_object()}
        else:
            subject = effective
        for rule in self.rules:
            if rule.predicate(subject, frame):
                output, assigned = (rule.io or io).pass_through(frame, effective)
                self.exit(frame, output, assigned)
                return output, rule.next
        if self.default is None:
            raise StatesError(NO_CHOICE_MATCHED, "No Matches!")
        output, assigned = io.pass_through(frame, effective)
        self.exit(frame, output, assigned)
        return output, self.default


__all__ = ["StateChoice", "evaluate_jsonata"]
