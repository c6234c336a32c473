"""The curated colloquial lexicon shipped in procedures_data/lexicon.txt (editable by officials)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.nlp.text import clean, syllables
from bot.paths import LEXICON_FILE

Phrase = tuple[str, ...]
ASPECTS = ("docs", "fee", "time", "place", "steps", "online", "conditions", "result", "general")


class LexiconError(ValueError):
    """A malformed lexicon line, with its line number."""


@dataclass
class Lexicon:
    abbreviations: dict[Phrase, Phrase] = field(default_factory=dict)
    fillers: list[Phrase] = field(default_factory=list)
    synonyms: list[tuple[Phrase, Phrase]] = field(default_factory=list)
    admin_cues: list[Phrase] = field(default_factory=list)
    not_admin: list[Phrase] = field(default_factory=list)  # marked '!': an admin word meaning something else there
    offtopic_cues: list[Phrase] = field(default_factory=list)
    aspect_cues: dict[str, list[Phrase]] = field(default_factory=dict)
    function_words: set[str] = field(default_factory=set)
    weak_aspect_cues: set[Phrase] = field(default_factory=set)  # used only when no other cue
    strong_offtopic_cues: set[Phrase] = field(default_factory=set)  # marked '!': off-topic even inside a story
    combinations: list[tuple[list[list[Phrase]], Phrase]] = field(default_factory=list)
    special_groups: list[list[Phrase]] = field(default_factory=list)  # each a class of alternatives
    group_exemptions: list[Phrase] = field(default_factory=list)
    whole_name_groups: set[int] = field(default_factory=set)  # marked '*': anywhere in a name, not only its addressees
    actions: list[list[Phrase]] = field(default_factory=list)  # acts named at the start of a name

    def situation_phrases(self) -> list[Phrase]:
        """What citizens say that the lexicon reads: synonym sources and combination alternatives."""
        return [src for src, _ in self.synonyms] + [alt for parts, _ in self.combinations for part in parts for alt in part]

    def phrases(self) -> list[Phrase]:
        """Every citizen-side and formal phrase (abbreviations, synonyms, combinations, cues)."""
        out: list[Phrase] = [*self.abbreviations.values(), *self.admin_cues, *self.not_admin, *self.offtopic_cues]
        out += [p for pair in self.synonyms for p in pair]
        for parts, target in self.combinations:
            out.append(target)
            out += [phrase for part in parts for phrase in part]
        out += [p for cues in self.aspect_cues.values() for p in cues]
        out += [p for alternatives in (*self.special_groups, *self.actions) for p in alternatives]
        return out

    def vocabulary(self) -> set[str]:
        words: set[str] = set()
        for phrase in self.abbreviations.values():
            words.update(phrase)
        for parts, target in self.combinations:
            words.update(target)
            for part in parts:
                for phrase in part:
                    words.update(phrase)
        for source, target in self.synonyms:
            words.update(source)
            words.update(target)
        for group in (self.admin_cues, self.not_admin, self.fillers, *self.aspect_cues.values(), *self.special_groups, *self.actions):
            for phrase in group:
                words.update(phrase)
        return words


def _phrase(text: str, line_no: int) -> Phrase:
    tokens = tuple(syllables(clean(text)))
    if not tokens:
        raise LexiconError(f"dòng {line_no}: cụm từ rỗng")
    return tokens


def parse_lexicon(text: str) -> Lexicon:
    lex = Lexicon(aspect_cues={a: [] for a in ASPECTS})
    section = None
    for line_no, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            if section.startswith("khia_canh:") and section.split(":", 1)[1] not in ASPECTS:
                raise LexiconError(f"dòng {line_no}: khía cạnh không biết: {section}")
            continue
        if section == "viet_tat":
            key, sep, value = line.partition("=")
            if not sep:
                raise LexiconError(f"dòng {line_no}: thiếu '=' trong mục viết tắt")
            lex.abbreviations[_phrase(key, line_no)] = _phrase(value, line_no)
        elif section == "dong_nghia":
            sources, sep, target = line.partition("=>")
            if not sep:
                raise LexiconError(f"dòng {line_no}: thiếu '=>' trong mục đồng nghĩa")
            if "+" in sources:
                raise LexiconError(f"dòng {line_no}: '+' chỉ dùng trong mục kết hợp [ket_hop]")
            target_tokens = _phrase(target, line_no)
            for source in sources.split("|"):
                lex.synonyms.append((_phrase(source, line_no), target_tokens))
        elif section == "ket_hop":
            parts, sep, target = line.partition("=>")
            if not sep or "+" not in parts:
                raise LexiconError(f"dòng {line_no}: kết hợp phải có dạng 'A | A2 + B => cụm từ'")
            alternatives = [[_phrase(alt, line_no) for alt in part.split("|")] for part in parts.split("+")]
            lex.combinations.append((alternatives, _phrase(target, line_no)))
        elif section == "tu_dem":
            lex.fillers.append(_phrase(line, line_no))
        elif section == "tu_chuc_nang":
            lex.function_words.update(_phrase(line, line_no))
        elif section == "dac_thu":
            if line.startswith("!"):
                lex.group_exemptions.extend(_phrase(alt, line_no) for alt in line[1:].split("|"))
            else:
                if line.startswith("*"):
                    lex.whole_name_groups.add(len(lex.special_groups))
                lex.special_groups.append([_phrase(alt, line_no) for alt in line.lstrip("*").split("|")])
        elif section == "hanh_dong":
            lex.actions.append([_phrase(alt, line_no) for alt in line.split("|")])
        elif section == "hanh_chinh":
            (lex.not_admin if line.startswith("!") else lex.admin_cues).append(_phrase(line.lstrip("!"), line_no))
        elif section == "ngoai_pham_vi":
            phrase = _phrase(line.lstrip("!"), line_no)
            lex.offtopic_cues.append(phrase)
            if line.startswith("!"):
                lex.strong_offtopic_cues.add(phrase)
        elif section and section.startswith("khia_canh:"):
            phrase = _phrase(line.lstrip("~"), line_no)
            lex.aspect_cues[section.split(":", 1)[1]].append(phrase)
            if line.startswith("~"):
                lex.weak_aspect_cues.add(phrase)
        else:
            raise LexiconError(f"dòng {line_no}: nằm ngoài mục hợp lệ ({section!r})")
    return lex


def lexicon_files(path: Path = LEXICON_FILE) -> list[Path]:
    """The main lexicon and the extra files beside it in ``lexicon.d/`` (by name), which
    officials or teams can add without touching the main file."""
    extra = path.parent / f"{path.stem}.d"
    return [path, *sorted(extra.glob("*.txt"))] if extra.is_dir() else [path]


def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    texts = []
    for file in lexicon_files(path):
        text = file.read_text(encoding="utf-8")
        try:
            parse_lexicon(text)  # alone first, so an error names its own file and line
        except LexiconError as exc:
            raise LexiconError(f"{file.name}: {exc}") from exc
        texts.append(text)
    return parse_lexicon("\n".join(texts))


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return load_lexicon()
