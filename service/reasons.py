"""Asked why, the sentence that gives a reason: "This is likely due to the fact that …", "Given
that alternatives … are implemented by judges …, measures … have not been taken." A question
asking why is answered by a cause, where a sentence restating what happened often shares more
of its words. Pure functions over text."""
from __future__ import annotations

import re

ASKS_WHY = re.compile(r"\bwhy\b|\bhow come\b|\bfor what reasons?\b|\bwhat (?:is|are|was|were) the (?:reasons?|causes?)\b"
                      r"|\bwhat (?:explains|causes|drives|lies behind)\b", re.I)
# a cause given: "because", "due to", "owing to", "given that", "as a result of", "the fact that", "in view of", "on account of", "the reason"; not "therefore", "thus": what
# follows from a cause given before
GIVES_REASON = re.compile(r"\b(?:because|due to|owing to|given (?:that|the)|as a (?:result|consequence) of|the fact that"
                          r"|in view of|on account of"
                          r"|the reasons? (?:is|are|was|were|for|why)|reasons? (?:is|are) that|stems? from|results? from)\b",
                          re.I)


def asks_why(question: str) -> bool:
    return bool(ASKS_WHY.search(question))


def gives_reason(sentence: str) -> bool:
    return bool(GIVES_REASON.search(sentence))
