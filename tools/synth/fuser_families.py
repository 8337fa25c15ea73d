"""The fuser's task families. Each `make_<family>(rng, topics)` returns one row:
{"family", "instruction", "input", "candidates": [...], "target"}: a GenFuser prompt's
parts (the candidates in the order the prompt lists them) and the answer a tiny model can
learn to write from them. Pure functions of the random generator and the committed topics
snapshot (tools/synth/topics.json), built from the ranker's families (families.py) so both
synth models know the same world:

- pick families (arithmetic, relevance, completeness, politeness): one candidate is right
  (the right number, the asked topic, the whole answer, the warm reply); the target is that
  candidate cleaned up (without chatty filler such as "Let me think. "), the others'
  content (near misses, other topics, cut-off text, rude replies) is dropped;
- merge families: every candidate holds part of the answer: list items whose union (in
  candidate order, each once) is the answer (merge_list), or facts about one country,
  one per candidate, joined in the order the question asks for them (merge_facts);
- format: the requested form (uppercase, lowercase, a numbered list, exactly N words, a
  translation) written from the candidates' content, whether or not a candidate already
  has that form.
"""
from __future__ import annotations

import random
from typing import Callable

from tools.synth.families import (
    ANSWER_FORMS, CATEGORIES, LANGUAGES, NUMBER_WORDS, OPS, PHRASES, SEQUENCES, TRANSLATIONS, UNITS,
    describe, wrong_number,
)
from tools.synth.families import make_completeness as ranker_completeness
from tools.synth.families import make_politeness as ranker_politeness
from tools.synth.families import make_relevance as ranker_relevance

FuserRow = dict[str, object]
Topic = dict[str, str]

# Chatty filler the targets never contain: "cleaned up" means without it.
OPENERS = ("Let me think. ", "Okay! ", "Good question! ", "Sure. ", "Hmm, let me see. ")
CLOSERS = (" I hope this helps!", " Hope that helps.", " Let me know if you need more.", " Have a nice day!")

# Answers built from a topic's description must fit the fuser's limits (tools/synth/train_fuser.py):
# the right candidate is cut at 64 tokens in the prompt and the answer is generated up to 64
# tokens, so a longer target can never be matched. The 1000-piece vocab spends up to ~2 characters
# a token on package names and jargon, so these character caps keep an answer under ~60 tokens
# (checked against the trained tokenizer, tools/synth/README.md); topics over them are left out of
# those families.
COMPLETE_ANSWER_MAX_CHARS = 110
PACKAGE_FACTS_MAX_CHARS = 130


def fuser_row(family: str, instruction: str, input_text: str, candidates: list[str], target: str) -> FuserRow:
    return {"family": family, "instruction": instruction, "input": input_text, "candidates": candidates, "target": target}


def chatty(rng: random.Random, text: str, rate: float = 0.35) -> str:
    """The text with an opener and/or a closer, at `rate` each."""
    if rng.random() < rate:
        text = rng.choice(OPENERS) + text
    if rng.random() < rate:
        text = text + rng.choice(CLOSERS)
    return text


def with_right(rng: random.Random, right: str, others: list[str]) -> list[str]:
    """The right text (maybe chatty) among the others, in random order, 2-4 candidates."""
    candidates = [chatty(rng, right)] + [chatty(rng, o, 0.2) for o in others]
    rng.shuffle(candidates)
    return candidates


# ---------------------------------------------------------------- pick families
def make_arithmetic(rng: random.Random, _topics: list[Topic]) -> FuserRow:
    """A sum, difference, product or unit conversion; the right answer and 1-2 near misses
    in the same wording."""
    if rng.random() < 0.65:
        op = rng.choice(("+", "-", "*"))
        a, b = (rng.randint(1, 10), rng.randint(1, 10)) if op == "*" else (rng.randint(0, 10), rng.randint(0, 10))
        if op == "-" and b > a:
            a, b = b, a
        fn, questions = OPS[op]
        right = fn(a, b)
        others = tuple(f(a, b) for o, (f, _) in OPS.items() if o != op)
        form = rng.choice(ANSWER_FORMS)
        question = rng.choice(questions).format(a=a, b=b)

        def text(v: int) -> str:
            return form.format(a=a, b=b, op=op, c=v)
    else:
        big, small, factor = rng.choice(UNITS)
        n = rng.randint(1, 9)
        right = n * factor
        others = tuple(n * f for _, _, f in UNITS if f != factor) + (n + factor,)
        question = rng.choice(("How many {s} are in {n} {b}?", "Convert {n} {b} to {s}.")).format(s=small, n=n, b=big)
        form = rng.choice(("{v} {s}.", "{n} {b} is {v} {s}.", "That is {v} {s}."))

        def text(v: int) -> str:
            return form.format(v=v, s=small, n=n, b=big)
    wrong: list[int] = []
    while len(wrong) < rng.choice((1, 1, 2)):
        value = wrong_number(rng, right, alternatives=others)
        if value not in wrong:
            wrong.append(value)
    return fuser_row("arithmetic", "", question, with_right(rng, text(right), [text(v) for v in wrong]), text(right))


def make_relevance(rng: random.Random, topics: list[Topic]) -> FuserRow:
    """The answer about the asked topic among answers about other topics."""
    base = ranker_relevance(rng, topics)
    others = [base["worse"]]
    if rng.random() < 0.4:
        others.append(ranker_relevance(rng, topics)["better"])  # a right answer to another question
    return fuser_row("relevance", base["instruction"], base["input"], with_right(rng, base["better"], others), base["better"])


def complete_answer(topic: Topic) -> str:
    """The ranker's whole answer about a topic (families.make_completeness)."""
    return describe(topic) + (f" {topic['detail']}" if topic["detail"] else " It is installed on this system.")


def make_completeness(rng: random.Random, topics: list[Topic]) -> FuserRow:
    """The whole answer among copies cut off at 30-70% of their words (topics whose whole
    answer fits COMPLETE_ANSWER_MAX_CHARS)."""
    base = ranker_completeness(rng, [t for t in topics if len(complete_answer(t)) <= COMPLETE_ANSWER_MAX_CHARS])
    return fuser_row("completeness", base["instruction"], base["input"], with_right(rng, base["better"], [base["worse"]]), base["better"])


def make_politeness(rng: random.Random, topics: list[Topic]) -> FuserRow:
    """The warm reply among neutral and rude ones."""
    base = ranker_politeness(rng, topics)
    others = [base["worse"]]
    if rng.random() < 0.4:
        extra = ranker_politeness(rng, topics)["worse"]
        if extra not in others and extra != base["better"]:
            others.append(extra)
    return fuser_row("politeness", base["instruction"], base["input"], with_right(rng, base["better"], others), base["better"])


# ---------------------------------------------------------------- merge families
def joined(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def split_parts(rng: random.Random, items: list[str], parts: int) -> list[list[str]]:
    """Contiguous pieces covering the items in order; a piece may repeat its neighbour's
    last item (the union drops repeats)."""
    cuts = sorted(rng.sample(range(1, len(items)), parts - 1))
    pieces = [items[a:b] for a, b in zip([0] + cuts, cuts + [len(items)])]
    for i in range(1, len(pieces)):
        if rng.random() < 0.25:
            pieces[i] = [pieces[i - 1][-1]] + pieces[i]
    return pieces


def make_merge_list(rng: random.Random, _topics: list[Topic]) -> FuserRow:
    """Each candidate names part of a list; the answer is their union, in candidate order."""
    if rng.random() < 0.5:
        name, text = rng.choice(list(SEQUENCES.items()))
        items = text.split(", ")
        question = rng.choice(("Name {s}.", "List {s} in order.", "What are {s}?")).format(s=name)
    else:
        category, pool = rng.choice(list(CATEGORIES.items()))
        n = rng.randint(3, 6)
        items = rng.sample(pool, n)
        question = rng.choice(("Name {w} {c}.", "List {w} {c}.", "Give me {n} {c}.")).format(w=NUMBER_WORDS[n], n=n, c=category)
    parts = split_parts(rng, items, rng.choice((2, 2, 3)) if len(items) >= 3 else 2)
    forms = ("{i}.", "Some are {i}.", "There is {i}.", "{i}, for example.")
    candidates = [chatty(rng, rng.choice(forms).format(i=joined(p)), 0.15) for p in parts]
    return fuser_row("merge_list", "", question, candidates, joined(items) + ".")


COUNTRIES = {  # name: (capital, language, continent)
    "France": ("Paris", "French", "Europe"), "Spain": ("Madrid", "Spanish", "Europe"),
    "Italy": ("Rome", "Italian", "Europe"), "Germany": ("Berlin", "German", "Europe"),
    "Portugal": ("Lisbon", "Portuguese", "Europe"), "Greece": ("Athens", "Greek", "Europe"),
    "Poland": ("Warsaw", "Polish", "Europe"), "Sweden": ("Stockholm", "Swedish", "Europe"),
    "Norway": ("Oslo", "Norwegian", "Europe"), "Finland": ("Helsinki", "Finnish", "Europe"),
    "Japan": ("Tokyo", "Japanese", "Asia"), "China": ("Beijing", "Chinese", "Asia"),
    "Korea": ("Seoul", "Korean", "Asia"), "Thailand": ("Bangkok", "Thai", "Asia"),
    "Turkey": ("Ankara", "Turkish", "Asia"), "Egypt": ("Cairo", "Arabic", "Africa"),
    "Kenya": ("Nairobi", "Swahili", "Africa"), "Morocco": ("Rabat", "Arabic", "Africa"),
    "Brazil": ("Brasilia", "Portuguese", "South America"), "Peru": ("Lima", "Spanish", "South America"),
    "Chile": ("Santiago", "Spanish", "South America"), "Mexico": ("Mexico City", "Spanish", "North America"),
    "Canada": ("Ottawa", "English", "North America"), "Australia": ("Canberra", "English", "Australia"),
}
FACTS = ("capital", "language", "continent")
FACT_SENTENCES = {
    "capital": ("The capital of {c} is {v}.", "{v} is the capital of {c}."),
    "language": ("People in {c} speak {v}.", "The language of {c} is {v}."),
    "continent": ("{c} is in {v}.", "{c} lies in {v}."),
}
FACT_TARGETS = {"capital": "The capital of {c} is {v}.", "language": "People in {c} speak {v}.", "continent": "{c} is in {v}."}
FACT_WORDS = {"capital": "the capital", "language": "the language", "continent": "the continent"}


def package_first(topic: Topic) -> str:
    return f"{topic['name']} is a package: {topic['short']}."


def package_facts(topic: Topic) -> str:
    """A package's purpose and its details: the answer when candidates hold one each."""
    return package_first(topic) + " " + topic["detail"]


def make_merge_facts(rng: random.Random, topics: list[Topic]) -> FuserRow:
    """Facts split across candidates: a country's capital, language and continent (the
    question asks for two or three, in its own order), or a package's purpose and its
    details; the answer states them all, in the question's order."""
    if rng.random() < 0.2:
        topic = rng.choice([t for t in topics if t["detail"] and len(package_facts(t)) <= PACKAGE_FACTS_MAX_CHARS])
        first = package_first(topic)
        question = rng.choice(("Describe {n} in one or two sentences.", "What is {n}?", "Tell me about {n}.")).format(n=topic["name"])
        candidates = [chatty(rng, first, 0.15), chatty(rng, topic["detail"], 0.15)]
        rng.shuffle(candidates)
        return fuser_row("merge_facts", "", question, candidates, package_facts(topic))
    country, values = rng.choice(list(COUNTRIES.items()))
    asked = rng.sample(FACTS, rng.choice((2, 2, 3)))
    words = [FACT_WORDS[f] for f in asked]
    question = rng.choice(("What are {w} of {c}?", "Tell me {w} of {c}.")).format(w=joined(words), c=country)
    value = dict(zip(FACTS, values))
    candidates = [chatty(rng, rng.choice(FACT_SENTENCES[f]).format(c=country, v=value[f]), 0.15) for f in asked]
    rng.shuffle(candidates)
    return fuser_row("merge_facts", "", question, candidates, " ".join(FACT_TARGETS[f].format(c=country, v=value[f]) for f in asked))


# ---------------------------------------------------------------- format
def make_format(rng: random.Random, _topics: list[Topic]) -> FuserRow:
    kind = rng.choice(("case", "case", "list", "words", "language"))
    if kind == "case":
        phrase = rng.choice(PHRASES)
        upper = rng.random() < 0.6
        ask = rng.choice(("Write this in uppercase: ", "Convert to capital letters: ") if upper
                         else ("Write this in lowercase: ", "Convert to small letters: "))
        source = phrase if upper else phrase.upper()
        target = phrase.upper() if upper else phrase
        forms = [phrase, phrase.capitalize(), phrase.title(), phrase.upper()]
        candidates = rng.sample([f for f in forms if f != target], rng.choice((1, 2)))
        if rng.random() < 0.4:
            candidates.append(target)  # sometimes a candidate is already right
        rng.shuffle(candidates)
        return fuser_row("format", ask, source, candidates, target)
    category, pool = rng.choice(list(CATEGORIES.items()))
    if kind == "list":
        n = rng.randint(2, 5)
        items = rng.sample(pool, n + 1)
        ask = rng.choice((f"List {NUMBER_WORDS[n]} {category} as a numbered list.", f"Give a numbered list of {n} {category}."))
        candidates = [rng.choice(("{i}.", "Some {c} are {i}.")).format(i=joined(items[:n]), c=category),
                      " ".join(f"{k + 1}. {x}" for k, x in enumerate(items))]  # a list one item too long
        rng.shuffle(candidates)
        return fuser_row("format", "", ask, candidates, " ".join(f"{k + 1}. {x}" for k, x in enumerate(items[:n])))
    if kind == "words":
        n = rng.randint(1, 4)
        items = rng.sample(pool, n + rng.randint(1, 3))
        ask = rng.choice((f"Name exactly {NUMBER_WORDS[n]} {category}, nothing else.", f"Answer with {n} {category} only."))
        candidates = [" ".join(items), rng.choice(("Some {c}: {i}.", "I would say {i}.")).format(c=category, i=joined(items))]
        rng.shuffle(candidates)
        return fuser_row("format", "", ask, candidates, " ".join(items[:n]))
    english, forms_ = rng.choice(list(TRANSLATIONS.items()))
    index = rng.randrange(3)
    wrong = rng.sample([english, forms_[(index + 1) % 3], forms_[(index + 2) % 3]], rng.choice((1, 2)))
    ask = rng.choice(("Translate to {l}: ", "Say this in {l}: ")).format(l=LANGUAGES[index])
    return fuser_row("format", ask, english, with_right(rng, forms_[index], wrong), forms_[index])


FUSER_FAMILIES: dict[str, Callable[[random.Random, list[Topic]], FuserRow]] = {
    "arithmetic": make_arithmetic,
    "relevance": make_relevance,
    "completeness": make_completeness,
    "politeness": make_politeness,
    "format": make_format,
    "merge_list": make_merge_list,
    "merge_facts": make_merge_facts,
}
MERGE_FAMILIES = ("merge_list", "merge_facts")
