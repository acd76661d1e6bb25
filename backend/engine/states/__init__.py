"""One module per state type; ``STATE_CLASSES`` maps a ``Type`` value to its class."""

from __future__ import annotations

from .choice import StateChoice
from .fail import StateFail
from .map import StateMap
from .parallel import StateParallel
from .pass_ import StatePass
from .succeed import StateSucceed
from .task import StateTask
from .wait import StateWait

STATE_CLASSES = {
    "Pass": StatePass,
    "Task": StateTask,
    "Choice": StateChoice,
    "Wait": StateWait,
    "Succeed": StateSucceed,
    "Fail": StateFail,
    "Parallel": StateParallel,
    "Map": StateMap,
}
