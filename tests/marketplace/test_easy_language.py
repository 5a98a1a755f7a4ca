"""The Easy Language page keeps the rules of Leichte Sprache (issue 18, item 7): no
subordinate clauses, and every hard word explained where it is first used."""

import re
from html.parser import HTMLParser

import pytest

# Words that open a subordinate clause: relative pronouns and subordinating conjunctions.
SUBORDINATING = [
    "der", "die", "das", "dem", "den", "dessen", "deren", "denen", "welche", "welcher",
    "welches", "welchem", "welchen", "wenn", "weil", "dass", "ob", "damit", "wie", "als",
    "bevor", "nachdem", "obwohl", "obgleich", "während", "sodass", "falls", "seit", "seitdem",
    "bis", "um", "ohne", "statt", "anstatt", "wo", "wobei", "wodurch", "womit", "was", "wer",
    "sobald", "solange", "indem", "soweit",
]  # fmt: skip
AFTER_A_COMMA = re.compile(r",\s*(?:" + "|".join(SUBORDINATING) + r")\b", re.IGNORECASE)
# A sentence may not begin with one either ("Wenn Sie ..., dann ...").
OPENING = re.compile(
    r"^(?:Wenn|Weil|Dass|Ob|Damit|Obwohl|Falls|Nachdem|Bevor|Während|Sobald|Solange|Indem)\b"
)
# An infinitive clause after a comma (", Ihnen zu helfen").
INFINITIVE_CLAUSE = re.compile(r",[^,.?!]*\bzu\s+\w+en\b")

HARD_WORDS = ["Verwaltung", "Dienststelle", "Link", "Behörde", "Impressum"]
EXPLAINED_WITHIN = 2  # the explanation follows in the same sentence or the next two


class ArticleText(HTMLParser):
    """The sentences of the page's <article>: each block element ends one."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "address", "br"}

    def __init__(self, html: str):
        super().__init__()
        self.depth, self.blocks, self.current = 0, [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        elif self.depth and tag in self.BLOCKS:
            self._end_block()

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        if self.depth and tag in self.BLOCKS or tag == "article":
            self._end_block()

    def handle_data(self, data):
        if self.depth:
            self.current.append(data)

    def _end_block(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def sentences(self) -> list[str]:
        return [
            sentence.replace("·", "")
            for block in self.blocks
            for sentence in re.split(r"(?<=[.?!])\s+", block)
            if sentence
        ]


def explains(sentence: str, word: str) -> bool:
    return bool(
        re.match(rf"{word} heißt:", sentence)
        or re.match(rf"(?:Ein|Eine|Der|Die|Das) {word} ist (?:ein|eine|der|die|das)\b", sentence)
        or sentence.startswith("Das heißt:")
    )


def unexplained(sentences: list[str], words: list[str]) -> list[str]:
    missing = []
    for word in words:
        first = next((n for n, s in enumerate(sentences) if re.search(rf"\b{word}", s)), None)
        if first is None:
            continue  # not used, nothing to explain
        window = sentences[first : first + EXPLAINED_WITHIN + 1]
        if not any(explains(sentence, word) for sentence in window):
            missing.append(f"{word}: {sentences[first]!r}")
    return missing


def subordinate_clauses(sentences: list[str]) -> list[str]:
    return [
        sentence
        for sentence in sentences
        if AFTER_A_COMMA.search(sentence)
        or OPENING.match(sentence)
        or INFINITIVE_CLAUSE.search(sentence)
    ]


@pytest.fixture
def page_sentences(client, db):
    response = client.get("/easy-language/", headers={"accept-language": "en"})
    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()  # German only, marked so
    return ArticleText(response.content.decode()).sentences()


def test_the_page_has_no_subordinate_clause(page_sentences):
    assert len(page_sentences) > 50
    assert subordinate_clauses(page_sentences) == []


def test_the_hard_words_are_explained_where_first_used(page_sentences):
    for word in HARD_WORDS:
        assert any(re.search(rf"\b{word}", s) for s in page_sentences), f"{word} is not used"
    assert unexplained(page_sentences, HARD_WORDS) == []


def test_the_checks_would_find_what_the_old_page_had():
    old = [
        "Menschen, die in der Berliner Verwaltung arbeiten.",
        "Fragen Sie in Ihrer Dienststelle, wie Sie ein Konto bekommen.",
        "Sie können auch einen Menschen bitten, Ihnen zu helfen.",
        "Wenn Sie eine Frage haben, schreiben Sie uns.",
    ]
    assert subordinate_clauses(old) == old
    assert subordinate_clauses(["Vereine, Firmen und andere Gruppen."]) == []
    assert unexplained(
        ["Das ist eine Behörde in Berlin.", "Wichtig: Die Behörde ist ausgedacht."], ["Behörde"]
    )
    assert not unexplained(
        ["Das ist eine Behörde in Berlin.", "Behörde heißt: ein Amt der Verwaltung."], ["Behörde"]
    )
