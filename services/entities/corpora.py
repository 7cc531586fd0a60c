"""The hand-annotated NER corpora in ``$AKHBAR_SHARED/corpora/ner`` as running text with
character spans of coarse types, grouped into documents, and NewsFANEGold's held-out split.

The corpora are read as text rebuilt from their tokens, so that the model is trained on the
tokens the pipeline itself makes of that text (``context.Article``), not on the corpora's own
segmentation, which attaches clitics in places and splits them in others.
"""

# Arabic letters in this file are meant as such, not as look-alikes of Latin ones.

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from services.entities.lexicon import DATA

ROOT = Path(__file__).resolve().parents[2]
# Pieces of a word that the corpora write apart are joined back in the rebuilt text, as running
# text writes them: one-letter proclitics to the next word (و السعودية), the alif NewsFANEGold
# splits off a word's start (ا سرائيلية), and enclitic pronouns and verb endings to the word
# before (رئيس ها, وصل ت, ان ن ي). Without this, a pronoun stood alone in the text as a name
# never does: the rules read ها as a person 400 times in the held-out documents.
_DETACHED_CLITICS = frozenset({"و", "ف", "ب", "ل", "ك", "ا"})
_DETACHED_ENDINGS = frozenset({"ه", "ها", "هم", "هما", "هن", "نا", "ي", "ت", "ن"})
_ARABIC = re.compile(r"[\u0621-\u064a]")
# NewsFANEGold marks no article boundaries, but consecutive sentences are one article's; a
# document here is a run of this many sentences, and one document in HELD_OUT_EVERY is held out.
BLOCK = 50
HELD_OUT_EVERY = 5
# AQMAR's tags carry typos upstream (I--ORG, B-MIS2, B-PERS1`): prefix and class are kept
_AQMAR_TAG = re.compile(r"^([BI])-+([A-Z]+?)(?:-?\d+|S\d+)?`?$")

Entity = tuple[int, int, str]  # character span in the text, end exclusive, and coarse type


@dataclass(frozen=True, slots=True)
class Document:
    text: str  # sentences joined by line ends
    entities: tuple[Entity, ...]


def ner_root() -> Path:
    return Path(os.environ.get("AKHBAR_SHARED", ROOT.parent / "shared")) / "corpora" / "ner"


def class_map(data: Path = DATA) -> dict[tuple[str, str], str | None]:
    """(corpus, class) -> PERSON / LOCATION / ORGANIZATION, or None for no entity."""
    out: dict[tuple[str, str], str | None] = {}
    for line in (data / "ner_classes.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            corpus, name, type_ = line.split("\t")
            out[corpus, name] = None if type_ == "-" else type_
    return out


def _sentences(rows: Iterator[tuple[str, str] | None]) -> Iterator[list[tuple[str, str]]]:
    sentence: list[tuple[str, str]] = []
    for row in rows:
        if row is None:
            if sentence:
                yield sentence
            sentence = []
        else:
            sentence.append(row)
    if sentence:
        yield sentence


def _fane_rows(path: Path) -> Iterator[tuple[str, str] | None]:
    with path.open(encoding="utf-8-sig") as fh:
        for line in fh:
            line = line.rstrip("\r\n").replace("\u200e", "")
            token, _, tag = line.partition("\t")
            if not token.strip():
                # a blank line ends a sentence; a line with a tag but no token is skipped
                if not line.strip():
                    yield None
                continue
            yield token.strip(), tag.strip().split("\t")[-1] or "O"


def _aqmar_rows(path: Path) -> Iterator[tuple[str, str] | None]:
    with path.open(encoding="utf-8-sig") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2:
                yield None
                continue
            found = _AQMAR_TAG.match(parts[-1])
            yield parts[0], "O" if found is None else f"{found[1]}-{found[2]}"


def rebuild(
    tokens: list[tuple[str, str]], corpus: str, classes: dict[tuple[str, str], str | None]
) -> tuple[str, list[Entity]]:
    """One sentence's text rebuilt from its tokens, with each entity's span and coarse type."""
    pieces: list[str] = []
    spans: list[Entity] = []
    pos = 0
    open_: tuple[int, int, str] | None = None
    for k, (token, tag) in enumerate(tokens):
        if k and not _joined(tokens[k - 1], (token, tag)):
            pieces.append(" ")
            pos += 1
        elif k and pieces[-1].endswith("ة") and token in _DETACHED_ENDINGS:
            # the corpus restores ة before an ending it splits off (لفضيلة ه): written, it is ت
            pieces[-1] = pieces[-1][:-1] + "ت"
        start, pos = pos, pos + len(token)
        pieces.append(token)
        prefix, _, name = tag.partition("-")
        type_ = classes.get((corpus, name)) if prefix in ("B", "I") else None
        if open_ is not None and (prefix != "I" or open_[2] != type_):
            spans.append(open_)
            open_ = None
        if type_ is not None:
            open_ = (start, pos, type_) if open_ is None else (open_[0], pos, type_)
    if open_ is not None:
        spans.append(open_)
    return "".join(pieces), spans


def _joined(before: tuple[str, str], token: tuple[str, str]) -> bool:
    """Whether ``token`` is written on to the token ``before`` it (see _DETACHED_CLITICS)."""
    (previous, previous_tag), (text, tag) = before, token
    # within an entity, only pieces of one entity are joined
    together = tag.startswith("I-") and previous_tag != "O"
    if previous in _DETACHED_CLITICS and (previous_tag == "O" or together):
        return bool(_ARABIC.match(text))
    return text in _DETACHED_ENDINGS and bool(_ARABIC.fullmatch(previous[-1:])) and (tag == "O" or together)


def documents(sentences: list[tuple[str, list[Entity]]]) -> list[Document]:
    """Runs of BLOCK sentences as one document each, one sentence a line."""
    out = []
    for first in range(0, len(sentences), BLOCK):
        text_parts: list[str] = []
        entities: list[Entity] = []
        pos = 0
        for text, spans in sentences[first : first + BLOCK]:
            entities += [(s + pos, e + pos, t) for s, e, t in spans]
            text_parts.append(text)
            pos += len(text) + 1
        out.append(Document("\n".join(text_parts), tuple(entities)))
    return out


def _fane(name: str, root: Path | None) -> list[Document]:
    classes = class_map()
    path = (root or ner_root()) / "fane" / name
    return documents([rebuild(s, "fane", classes) for s in _sentences(_fane_rows(path))])


def newsfane_split(root: Path | None = None) -> tuple[list[Document], list[Document]]:
    """(training, held out) documents of NewsFANEGold."""
    docs = _fane("NewsFANE_Gold_2014_170K.txt", root)
    held = [d for i, d in enumerate(docs) if i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1]
    train = [d for i, d in enumerate(docs) if i % HELD_OUT_EVERY != HELD_OUT_EVERY - 1]
    return train, held


def wikipedia(root: Path | None = None) -> list[Document]:
    """WikiFANEGold and AQMAR, every article of AQMAR a document of its own."""
    classes = class_map()
    out = _fane("WikiFANE_Gold_2014_500K.txt", root)
    for path in sorted(((root or ner_root()) / "aqmar").glob("*.txt")):
        out += documents([rebuild(s, "aqmar", classes) for s in _sentences(_aqmar_rows(path))])
    return out
