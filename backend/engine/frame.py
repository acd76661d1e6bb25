"""Per-thread-of-control evaluation state: the ``EvalScope`` every expression sees.

One ``Frame`` exists for the execution's top level and one for each Parallel
branch and Map iteration. It knows which state is running (for the Context
Object), its variable scope, and the id of the last event it emitted (the
``previousEventId`` of its next event). The Context Object is only built when
an expression asks for ``$$`` / ``$states.context``.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, Any

from .clock import iso8601
from .errors import QUERY_EVALUATION_ERROR, RUNTIME, StatesError

if TYPE_CHECKING:
    from .execution import Execution
    from .history import History


# Failures AWS reports with "An error occurred while executing the state ..." in front.
_LOCATED_ERRORS = frozenset({RUNTIME, QUERY_EVALUATION_ERROR})


class Variables:
    """A variable scope: one per ``States`` object instance; inner scopes read outer ones."""

    __slots__ = ("values", "parent")

    def __init__(self, parent: Variables | None = None, values: dict[str, Any] | None = None):
        self.values: dict[str, Any] = values if values is not None else {}
        self.parent = parent

    def get(self, name: str) -> Any:
        scope: Variables | None = self
        while scope is not None:
            values = scope.values
            if name in values:
                return values[name]
            scope = scope.parent
        raise KeyError(name)

    def assign(self, values: dict[str, Any]) -> None:
        self.values.update(values)


class MapItem:
    __slots__ = ("index", "value", "key")

    def __init__(self, index: int, value: Any, key: str | None = None):
        self.index = index
        self.value = value
        self.key = key


class Frame:
    __slots__ = (
        "execution", "history", "variables", "last_event_id", "state_name", "state_type", "entered_event_id",
        "entered_time", "last_event_time", "retry_count", "map_item", "task_token", "parent", "fiber",
    )

    def __init__(self, execution: Execution, variables: Variables, last_event_id: int, parent: Frame | None = None):
        self.execution = execution
        self.history: History = execution.history
        self.variables = variables
        self.last_event_id = last_event_id
        self.state_name = ""
        self.state_type = ""  # the running state's entered-event type, e.g. "TaskStateEntered"
        self.entered_event_id = 0
        self.entered_time = 0.0
        self.last_event_time = 0.0
        self.retry_count: int | None = None
        self.map_item: MapItem | None = None
        self.task_token: str | None = None
        self.parent = parent
        self.fiber: Any = None  # the scheduler fiber running this frame (set by Scheduler.spawn)
        self.fiber: Any = None  # the scheduler fiber running this frame (set by Scheduler.spawn)

    # -- events ---------------------------------------------------------------------------

    def emit(self, type_: str, details: dict[str, Any] | None = None) -> int:
        event = self.history.add(type_, self.last_event_id, details)
        self.last_event_id = event.id
        self.last_event_time = event.timestamp
        return event.id

    def enter(self, state_name: str, entered_type: str, value: Any) -> None:
        history = self.history
        history.entered += 1
        event = history.add(entered_type, self.last_event_id, {"name": state_name, "input": value})
        self.last_event_id = self.entered_event_id = event.id
        self.entered_time = self.last_event_time = event.timestamp
        self.state_name = state_name
        self.state_type = entered_type
        self.retry_count = None
        self.task_token = None

    def child(self, variables: Variables | None = None) -> Frame:
        """A frame for a Parallel branch or Map iteration started by this frame's state."""
        child = Frame(self.execution, variables if variables is not None else Variables(self.variables),
                      self.last_event_id, self)
        child.history = self.history  # a child execution's frames keep writing to its own history
        return child

    # -- EvalScope --------------------------------------------------------------------------

    def context_object(self) -> dict:
        execution = self.execution
        state: dict[str, Any] = {"EnteredTime": iso8601(self.entered_time), "Name": self.state_name}
        if self.retry_count is not None:
            state["RetryCount"] = self.retry_count
        context_execution = execution.context_execution
        points = execution.redrive_points
        if points and self.history is execution.history:
            # The redrive whose run entered this state.
            index = bisect_right(points, (self.entered_event_id, float("inf")))
            count = points[index - 1][1] if index else 0
            if count != context_execution.get("RedriveCount"):
                context_execution = {**context_execution, "RedriveCount": count}
        context: dict[str, Any] = {
            "Execution": context_execution,
            "State": state,
            "StateMachine": execution.context_state_machine,
        }
        if self.task_token is not None:
            context["Task"] = {"Token": self.task_token}
        item = self.map_item
        if item is not None:
            entry: dict[str, Any] = {"Index": item.index, "Value": item.value}
            if item.key is not None:
                entry["Key"] = item.key
            context["Map"] = {"Item": entry}
        return context

    def get_variable(self, name: str) -> Any:
        return self.variables.get(name)

    # -- errors -------------------------------------------------------------------------------

    def locate(self, error: StatesError) -> StatesError:
        """Prefix an evaluation failure with the state and its StateEntered id, as AWS does."""
        if error.located or error.error not in _LOCATED_ERRORS:
            return error
        located = StatesError(
            error.error,
            f"An error occurred while executing the state '{self.state_name}' "
            f"(entered at the event id #{self.entered_event_id}). {error.cause or ''}".rstrip(),
        )
        located.located = True
        location = getattr(error, "location", None)
        if location is not None:
            located.location = location  # type: ignore[attr-defined]
        return located
