"""Asked why, the sentence that gives a reason: "This is likely due to the fact that …", "Given
that alternatives … are implemented by judges …, measures … have not been taken." A question
asking why is answered by a cause, where a sentence restating what happened often shares more
of its words. Pure functions over text."""
from __future__ import annotations

import re

# "why" opening the question or a clause of it ("Belgium: why …", "and why …"), not a clause it
# reports ("which countries explained why …") nor a name ("the Why Not? campaign")
ASKS_WHY = re.compile(r"(?:^|[.:;,?!–—(]\s*|\b(?:and|but|or|so)\s+)(?:why\b|how come\b)"
                      r"|^(?:for what reasons?|what (?:is|are|was|were) the (?:reasons?|causes?)"
                      r"|what (?:explains|causes|drives|lies behind))\b", re.I)
# a cause given: "because", "due to" (not "due to be published", "due to enter into force": a schedule),
# "owing to", "given that", "as a result of", "the fact that … means", "in view of", "on account of", "the
# reason is"; not "therefore", "thus" (what follows from a cause given before), "given the opportunity",
# "results from the survey", "since 2019"
SCHEDULED = r"(?:be|enter|take|start|begin|come|end|expire|open|close|meet|run|finish|commence)\b"
GIVES_REASON = re.compile(rf"\b(?:because|due to (?!{SCHEDULED})|owing to|given that|as a (?:result|consequence) of"
                          r"|the fact that\b[^.;]{0,200}\b(?:means|makes|explains|shows|leads)|in view of|on account of"
                          r"|the reasons? (?:is|are|was|were|for|why)|reasons? (?:is|are) that)", re.I)


def asks_why(question: str) -> bool:
    return bool(ASKS_WHY.search(question.strip()))


def gives_reason(sentence: str) -> bool:
    return bool(GIVES_REASON.search(sentence))
