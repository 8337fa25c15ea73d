"""The five preference families. Each `make_<family>(rng, topics)` returns one row:
{"family", "instruction", "input", "better", "worse"}. Pure functions of the random
generator (random.Random) and the committed topics snapshot, so a seed fixes the data.

The README's examples (`hello, how are you!` with `hi! I am fine, thanks!` / `bye!` /
`get out!`, `I love you!` with `I love you too!` / `I hate you!` / ...) are of the politeness
kind, but their exact candidate strings are never generated (README_CANDIDATES): the
test that ranks them then measures generalisation, not recall.
"""
from __future__ import annotations

import random
from typing import Callable

Row = dict[str, str]
Topic = dict[str, str]

# Candidate strings of the README's rank/compare examples: never produced as a candidate.
README_CANDIDATES = frozenset({
    "get out!", "hi! I am fine, thanks!", "bye!", "I love you too!", "I hate you!",
    "Thanks! You're a good guy!", "hi!", "f**k off!", "I love you, too!",
})


def row(family: str, instruction: str, input_text: str, better: str, worse: str) -> Row:
    return {"family": family, "instruction": instruction, "input": input_text, "better": better, "worse": worse}


# ---------------------------------------------------------------- arithmetic and units
UNITS = (  # (big unit, small unit, factor)
    ("meters", "centimeters", 100), ("kilometers", "meters", 1000), ("hours", "minutes", 60),
    ("minutes", "seconds", 60), ("days", "hours", 24), ("weeks", "days", 7), ("kilograms", "grams", 1000),
    ("dozens", "eggs", 12), ("years", "months", 12), ("liters", "milliliters", 1000),
)
OPS: dict[str, tuple[Callable[[int, int], int], tuple[str, ...]]] = {
    "+": (lambda a, b: a + b, ("What is {a} + {b}?", "Compute {a} + {b}.", "{a} plus {b} equals?", "Add {a} and {b}.")),
    "-": (lambda a, b: a - b, ("What is {a} - {b}?", "Compute {a} - {b}.", "{a} minus {b} equals?", "Subtract {b} from {a}.")),
    "*": (lambda a, b: a * b, ("What is {a} * {b}?", "Compute {a} times {b}.", "{a} times {b} equals?", "Multiply {a} by {b}.")),
}
ANSWER_FORMS = ("{c}", "The answer is {c}.", "{a} {op} {b} = {c}", "It is {c}.")


def wrong_number(rng: random.Random, right: int, *, alternatives: tuple[int, ...] = ()) -> int:
    """A near miss: another operation's or factor's result, or the right value off by 1-3 or 10."""
    options = [v for v in alternatives if v != right and v >= 0]
    if options and rng.random() < 0.3:
        return rng.choice(options)
    while True:
        value = right + rng.choice((-10, -3, -2, -1, 1, 2, 3, 10))
        if value >= 0 and value != right:
            return value


def make_arithmetic(rng: random.Random, _topics: list[Topic]) -> Row:
    """Facts a small model can learn from the rows: + and - on 0-10, the times tables to 10,
    ten unit conversions of 1-9, comparisons of 0-20 (each fact repeats in many wordings)."""
    kind = rng.random()
    if kind < 0.6:
        op = rng.choice(("+", "-", "*"))
        a, b = (rng.randint(1, 10), rng.randint(1, 10)) if op == "*" else (rng.randint(0, 10), rng.randint(0, 10))
        if op == "-" and b > a:
            a, b = b, a
        fn, questions = OPS[op]
        c = fn(a, b)
        others = tuple(f(a, b) for o, (f, _) in OPS.items() if o != op)
        wrong = wrong_number(rng, c, alternatives=others)
        form = rng.choice(ANSWER_FORMS)
        question = rng.choice(questions).format(a=a, b=b)
        instruction, input_text = ("", question) if rng.random() < 0.5 else ("Answer the question. ", question)
        return row("arithmetic", instruction, input_text, form.format(a=a, b=b, op=op, c=c),
                   form.format(a=a, b=b, op=op, c=wrong))
    if kind < 0.85:
        big, small, factor = rng.choice(UNITS)
        n = rng.randint(1, 9)
        right = n * factor
        other_factors = tuple(n * f for _, _, f in UNITS if f != factor)
        wrong = wrong_number(rng, right, alternatives=other_factors + (n + factor,))
        question = rng.choice(("How many {s} are in {n} {b}?", "Convert {n} {b} to {s}.", "{n} {b} is how many {s}?"))
        form = rng.choice(("{v} {s}.", "{n} {b} is {v} {s}.", "That is {v} {s}.", "{v}"))
        q = question.format(s=small, n=n, b=big)
        return row("arithmetic", "", q, form.format(v=right, s=small, n=n, b=big), form.format(v=wrong, s=small, n=n, b=big))
    a, b = rng.randint(0, 20), rng.randint(0, 20)
    while a == b:
        b = rng.randint(0, 20)
    relation, truth = rng.choice((("greater", a > b), ("smaller", a < b)))
    yes, no = rng.choice((("Yes.", "No."), ("yes", "no"), (f"Yes, {a} is {relation} than {b}.", f"No, {a} is not {relation} than {b}.")))
    better, worse = (yes, no) if truth else (no, yes)
    return row("arithmetic", "Answer yes or no. ", f"Is {a} {relation} than {b}?", better, worse)


# ---------------------------------------------------------------- relevance
def describe(topic: Topic) -> str:
    what = "command" if topic["kind"] == "command" else "package"
    return f"{topic['name']} is a {what} to {topic['short'][0].lower()}{topic['short'][1:]}." if topic["kind"] == "command" \
        else f"{topic['name']} is a {what}: {topic['short']}."


def make_relevance(rng: random.Random, topics: list[Topic]) -> Row:
    """An answer that names and describes the asked topic vs one that names and describes
    another topic (the question names the topic, or states what it is for)."""
    topic, other = rng.sample(topics, 2)
    if rng.random() < 0.5:
        question = rng.choice(("What is {n}?", "What does {n} do?", "Tell me about {n}.", "Explain {n} briefly."))
        return row("relevance", "", question.format(n=topic["name"]), describe(topic), describe(other))
    need = rng.choice(("I need a tool to {d}. What should I use?", "Which command can {d}?", "How can I {d}?"))
    short = topic["short"][0].lower() + topic["short"][1:]
    other_short = other["short"][0].lower() + other["short"][1:]
    answer = rng.choice(("Use {n}: it can {d}.", "Try {n}, which can {d}.", "{n} can {d}."))
    return row("relevance", "", need.format(d=short), answer.format(n=topic["name"], d=short),
               answer.format(n=other["name"], d=other_short))


# ---------------------------------------------------------------- completeness
SEQUENCES = {
    "the days of the week": "Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday",
    "the months of the year": "January, February, March, April, May, June, July, August, September, October, November, December",
    "the colors of the rainbow": "red, orange, yellow, green, blue, indigo, violet",
    "the planets from the sun": "Mercury, Venus, Earth, Mars, Jupiter, Saturn, Uranus, Neptune",
    "the seasons": "spring, summer, autumn, winter",
    "the numbers from one to ten": "one, two, three, four, five, six, seven, eight, nine, ten",
    "the vowels": "a, e, i, o, u",
    "the continents": "Africa, Antarctica, Asia, Australia, Europe, North America, South America",
}


def cut(text: str, rng: random.Random) -> str:
    words = text.split()
    keep = max(1, int(len(words) * rng.uniform(0.3, 0.7)))
    return " ".join(words[:keep]).rstrip(".,:;")


def make_completeness(rng: random.Random, topics: list[Topic]) -> Row:
    if rng.random() < 0.35:
        name, items = rng.choice(list(SEQUENCES.items()))
        full = rng.choice(("{i}.", "They are {i}.", "In order: {i}."))
        better = full.format(i=items)
        parts = items.split(", ")
        keep = rng.randint(1, len(parts) - 1)
        worse = full.format(i=", ".join(parts[:keep]))
        if rng.random() < 0.5:
            worse = worse.rstrip(".")
        return row("completeness", "", rng.choice(("Name {s}.", "List {s} in order.", "What are {s}?")).format(s=name),
                   better, worse)
    topic = rng.choice(topics)
    question = rng.choice(("Describe {n} in one or two sentences.", "What is {n}?", "Explain what {n} does."))
    full = describe(topic) + (f" {topic['detail']}" if topic["detail"] else " It is installed on this system.")
    return row("completeness", "", question.format(n=topic["name"]), full, cut(full, rng))


# ---------------------------------------------------------------- format following
CATEGORIES = {
    "fruits": ("apple", "banana", "cherry", "grape", "lemon", "mango", "orange", "pear", "plum", "peach"),
    "animals": ("cat", "dog", "horse", "lion", "tiger", "rabbit", "mouse", "bird", "fish", "sheep"),
    "colors": ("red", "green", "blue", "yellow", "purple", "black", "white", "pink", "brown", "gray"),
    "countries": ("France", "Spain", "Italy", "Japan", "Brazil", "Canada", "Egypt", "India", "Mexico", "Norway"),
    "tools": ("hammer", "saw", "drill", "wrench", "knife", "ruler", "shovel", "ladder", "brush", "rope"),
    "vegetables": ("carrot", "potato", "onion", "pepper", "tomato", "cabbage", "pea", "bean", "leek", "corn"),
}
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six")
TRANSLATIONS = {  # English -> (French, Spanish, German)
    "the cat": ("le chat", "el gato", "die Katze"), "the dog": ("le chien", "el perro", "der Hund"),
    "the house": ("la maison", "la casa", "das Haus"), "the water": ("l'eau", "el agua", "das Wasser"),
    "the book": ("le livre", "el libro", "das Buch"), "good morning": ("bonjour", "buenos dias", "guten Morgen"),
    "thank you": ("merci", "gracias", "danke"), "the bread": ("le pain", "el pan", "das Brot"),
    "the car": ("la voiture", "el coche", "das Auto"), "the sun": ("le soleil", "el sol", "die Sonne"),
    "the moon": ("la lune", "la luna", "der Mond"), "the city": ("la ville", "la ciudad", "die Stadt"),
    "the friend": ("l'ami", "el amigo", "der Freund"), "the apple": ("la pomme", "la manzana", "der Apfel"),
    "the school": ("l'ecole", "la escuela", "die Schule"), "the tree": ("l'arbre", "el arbol", "der Baum"),
    "good night": ("bonne nuit", "buenas noches", "gute Nacht"), "the sea": ("la mer", "el mar", "das Meer"),
    "the door": ("la porte", "la puerta", "die Tur"), "the milk": ("le lait", "la leche", "die Milch"),
}
LANGUAGES = ("French", "Spanish", "German")
PHRASES = ("the weather is nice today", "please close the door", "good luck with the exam", "see you tomorrow",
           "the train is late again", "coffee is ready", "happy birthday to you", "keep calm and carry on",
           "the meeting starts at noon", "welcome to the team", "turn left at the bank", "dinner is served",
           "the shop opens at nine", "save your work often", "read the manual first", "the cat is sleeping")


def make_format(rng: random.Random, _topics: list[Topic]) -> Row:
    kind = rng.choice(("list", "count", "case", "language", "words"))
    if kind in ("list", "count"):
        category, pool = rng.choice(list(CATEGORIES.items()))
        n = rng.randint(2, 5)
        items = rng.sample(pool, n + 1)
        numbered = " ".join(f"{i + 1}. {x}" for i, x in enumerate(items[:n]))
        sentence = ", ".join(items[: n - 1]) + f" and {items[n - 1]}"
        ask = rng.choice((f"List {NUMBER_WORDS[n]} {category} as a numbered list.", f"Give a numbered list of {n} {category}."))
        if kind == "list":
            worse = rng.choice((sentence + ".", f"Some {category} are {sentence}."))
            return row("format", "", ask, numbered, worse)
        wrong_n = n + 1 if rng.random() < 0.5 or n == 2 else n - 1
        worse = " ".join(f"{i + 1}. {x}" for i, x in enumerate(items[:wrong_n]))
        return row("format", "", ask, numbered, worse)
    if kind == "case":
        phrase = rng.choice(PHRASES)
        if rng.random() < 0.6:
            ask = rng.choice(("Write this in uppercase: ", "Convert to capital letters: ", "Shout this: "))
            return row("format", ask, phrase, phrase.upper(), rng.choice((phrase, phrase.capitalize())))
        ask = rng.choice(("Write this in lowercase: ", "Convert to small letters: "))
        return row("format", ask, phrase.upper(), phrase, rng.choice((phrase.upper(), phrase.title())))
    if kind == "language":
        english, forms = rng.choice(list(TRANSLATIONS.items()))
        index = rng.randrange(3)
        wrong = rng.choice((english, forms[(index + 1) % 3], forms[(index + 2) % 3]))
        ask = rng.choice(("Translate to {l}: ", "Say this in {l}: ", "In {l}, how do you say: "))
        return row("format", ask.format(l=LANGUAGES[index]), english, forms[index], wrong)
    category, pool = rng.choice(list(CATEGORIES.items()))
    n = rng.randint(1, 4)
    wrong_n = n + rng.randint(2, 4)
    words = rng.sample(pool, wrong_n)
    ask = rng.choice((f"Name exactly {NUMBER_WORDS[n]} {category}, nothing else.", f"Answer with {n} {category} only."))
    return row("format", "", ask, " ".join(words[:n]), " ".join(words))


# ---------------------------------------------------------------- politeness
GREET_HOW = ("hello, how are you!", "hi, how are you?", "hey, how is it going?", "good morning, how are you doing?",
             "hello there, how are you today?", "hi! how have you been?", "good evening, how was your day?",
             "hey, how are things?", "hello! are you doing well?", "hi, how do you feel today?")
GREET_PLAIN = ("hello!", "hi there!", "hey!", "good morning!", "good evening!", "hello there!", "greetings!",
               "nice to meet you!", "hey there, friend!", "howdy!")
AFFECTION = ("I love you!", "I like you a lot!", "you are my best friend!", "I missed you!", "you're awesome!",
             "I really appreciate you!", "you are so kind!", "I adore you!", "you make me happy!", "I love you so much!")
THANKS = ("thank you for your help!", "thanks a lot!", "thank you so much!", "I am grateful for your help.",
          "thanks for the advice!")
HELP_TASKS = {
    "fix my bicycle": "First check the chain and the tire pressure.",
    "write a cover letter": "Start with why you want the job, then list two strengths.",
    "learn to cook rice": "Rinse the rice, then boil it with twice as much water for fifteen minutes.",
    "plan a trip to Rome": "Book a hotel near the center and visit the Colosseum early in the morning.",
    "study for my exam": "Make a schedule and review a little every day.",
    "find a good book": "Tell me what you liked last, and I will suggest something similar.",
    "clean my kitchen": "Start with the dishes, then wipe the counters and sweep the floor.",
    "choose a laptop": "Decide on your budget first, then compare battery life and weight.",
    "save some money": "Write down your spending for a month and cut one expense you do not need.",
    "sleep better": "Go to bed at the same time every night and avoid screens before sleeping.",
    "water my plants": "Check the soil first and water only when the top is dry.",
    "understand fractions": "A fraction is a part of a whole: one half means one of two equal parts.",
}
HELP_ASK = ("Can you help me {t}?", "Could you please help me {t}?", "I need help to {t}.", "How do I {t}?")

WARM_HEADS = ("hello!", "hey!", "hi there!", "good to see you!", "oh hi!", "hello, friend!")
WARM_STATES = ("I am fine", "I'm doing well", "I am great", "I feel good today", "all good here", "I am very well",
               "I'm fine")
WARM_TAILS = (", thanks!", ", thank you!", ". thanks for asking!", ". how about you?", ", and you?", ", thanks a lot!")
PLAIN_WARM = ("hello! nice to see you!", "hi there! how can I help?", "hey! great to hear from you!",
              "hello, friend! welcome!", "good morning to you too!", "hi! it is nice to meet you!", "hey there!")
AFFECTION_WARM = ("aww, I love you too!", "I love you too, so much!", "I like you too!", "that's so sweet, thank you!",
                  "thanks! you're a good friend!", "thank you! you are very kind!", "thanks! you're a nice guy!",
                  "thanks, you're a great person!", "thank you! you're so sweet!", "you're awesome too!",
                  "I missed you too!", "thank you, that means a lot!", "thanks! you're the best!", "I love you as well!")
THANKS_WARM = ("you're welcome!", "happy to help!", "any time, my friend!", "my pleasure!", "glad I could help!")
NEUTRAL = ("ok.", "whatever.", "fine.", "hmm.", "sure.", "later.", "noted.", "goodbye.", "see you.", "bye then.",
           "I see.", "okay.", "meh.", "if you say so.", "bye now.")
HOSTILE = ("go away!", "leave me alone!", "shut up!", "get lost!", "nobody cares!", "stop talking to me!",
           "get out of here!", "buzz off!", "you are annoying!", "don't bother me!", "I don't like you!",
           "I can't stand you!", "you disgust me!", "get out, now!", "I hate you so much!", "go to hell!",
           "what a stupid thing to say!", "you are an idiot!", "I hate talking to you!", "get away from me!")
DISMISSIVE = ("No. Figure it out yourself.", "Not my problem.", "Why would I help you?", "Do it yourself.",
              "I don't care.", "Stop asking me stupid questions.", "No way, go away!", "Ask someone else, I'm busy.")


def warm_reply(rng: random.Random, kind: str) -> str:
    while True:
        if kind == "how":
            text = rng.choice(WARM_HEADS) + " " + rng.choice(WARM_STATES) + rng.choice(WARM_TAILS)
        elif kind == "plain":
            text = rng.choice(PLAIN_WARM)
        elif kind == "affection":
            text = rng.choice(AFFECTION_WARM)
        else:
            text = rng.choice(THANKS_WARM)
        if text not in README_CANDIDATES:
            return text


def capitalized(rng: random.Random, text: str) -> str:
    """Half the texts start with a capital letter: people write both."""
    return text[0].upper() + text[1:] if rng.random() < 0.5 else text


def make_politeness(rng: random.Random, _topics: list[Topic]) -> Row:
    row_ = make_politeness_lower(rng)
    for key in ("input", "better", "worse"):
        row_[key] = capitalized(rng, row_[key])
    if row_["better"] in README_CANDIDATES or row_["worse"] in README_CANDIDATES:
        return make_politeness(rng, _topics)
    return row_


def make_politeness_lower(rng: random.Random) -> Row:
    if rng.random() < 0.25:
        task, answer = rng.choice(list(HELP_TASKS.items()))
        ask = rng.choice(HELP_ASK).format(t=task)
        better = rng.choice(("Sure! ", "Of course! ", "Happy to help. ", "")) + answer
        worse = rng.choice(DISMISSIVE) if rng.random() < 0.8 else rng.choice(NEUTRAL)
        return row("politeness", "", ask, better, worse)
    kind = rng.choice(("how", "how", "plain", "affection", "affection", "thanks"))
    pool = {"how": GREET_HOW, "plain": GREET_PLAIN, "affection": AFFECTION, "thanks": THANKS}[kind]
    message = rng.choice(pool)
    # three tiers: warm > neutral > hostile; every tier pair is taught
    tier = rng.random()
    if tier < 0.5:
        better, worse = warm_reply(rng, kind), rng.choice(HOSTILE)
    elif tier < 0.75:
        better, worse = warm_reply(rng, kind), rng.choice(NEUTRAL)
    else:
        better, worse = rng.choice(NEUTRAL), rng.choice(HOSTILE)
    return row("politeness", "", message, better, worse)


FAMILIES: dict[str, Callable[[random.Random, list[Topic]], Row]] = {
    "arithmetic": make_arithmetic,
    "relevance": make_relevance,
    "completeness": make_completeness,
    "format": make_format,
    "politeness": make_politeness,
}
