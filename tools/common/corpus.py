"""Training text for the tiny tokenizers, found on this machine (no network here).

Source: the license texts in /usr/share/common-licenses (Apache-2.0, Artistic, BSD,
CC0-1.0, GFDL-1.2/1.3, GPL-1/2/3, LGPL-2/2.1/3, MPL-1.1/2.0), ~260 KB of English prose
shipped by Debian's `base-files` package, which every Debian 12 system has (it is
Essential) and whose texts have not changed in years. Package-dependent sources
(/var/lib/dpkg/status, /usr/share/doc/*) are deliberately NOT used: they change with
what a session installs. The file list is fixed, so a missing file is an error rather
than a silently different corpus.

To those lines we add a fixed set of non-English lines (accented Latin, Greek, Cyrillic,
CJK, Arabic, Hebrew, Devanagari, emoji, full-width and ligature forms) so that a tiny
tokenizer trained with character_coverage 1.0 has pieces for them.
"""
from __future__ import annotations

import random
from pathlib import Path

LICENSE_DIR = Path("/usr/share/common-licenses")
LICENSE_FILES = (
    "Apache-2.0", "Artistic", "BSD", "CC0-1.0", "GFDL-1.2", "GFDL-1.3", "GPL-1", "GPL-2",
    "GPL-3", "LGPL-2", "LGPL-2.1", "LGPL-3", "MPL-1.1", "MPL-2.0",
)

UNICODE_LINES = (
    "Café, naïve, façade, jalapeño, smörgåsbord, crème brûlée, São Paulo, Zürich, Kraków.",
    "Ελληνικά: η γρήγορη καφέ αλεπού πηδά πάνω από τον τεμπέλη σκύλο.",
    "Русский: быстрая коричневая лиса прыгает через ленивую собаку.",
    "中文：敏捷的棕色狐狸跳过了懒狗。我们今天学习机器学习和自然语言处理。",
    "日本語：素早い茶色の狐がのろまな犬を飛び越える。ひらがな、カタカナ、漢字。",
    "한국어: 빠른 갈색 여우가 게으른 개를 뛰어넘는다.",
    "العربية: الثعلب البني السريع يقفز فوق الكلب الكسول.",
    "עברית: השועל החום המהיר קופץ מעל הכלב העצלן.",
    "हिन्दी: तेज़ भूरी लोमड़ी आलसी कुत्ते के ऊपर कूदती है।",
    "Emoji: 😀 😂 🥰 👍 🎉 🚀 ❤️ 🇫🇷 👩‍💻 🤖 ✅ 🔥",
    "Full-width: ＡＢＣ ａｂｃ １２３ ！？ ligatures: ﬁ ﬂ ﬀ ﬃ, ½ ² ℃ № ™ …",
    "Math and symbols: α + β = γ, x² ≤ 10³, 3 × 4 ÷ 2 ≈ 6, € £ ¥ § © ®.",
)


def license_lines(max_chars: int = 2000) -> list[str]:
    """The fixed license files' paragraphs (blank-line separated, whitespace collapsed,
    split at `max_chars`), in fixed order."""
    lines: list[str] = []
    for name in LICENSE_FILES:
        path = LICENSE_DIR / name
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing (Debian's base-files package provides it)")
        text = path.read_text(encoding="utf-8", errors="replace")
        for paragraph in text.split("\n\n"):
            words = paragraph.split()
            line = ""
            for word in words:
                if len(line) + len(word) + 1 > max_chars:
                    lines.append(line)
                    line = ""
                line = f"{line} {word}" if line else word
            if len(line) >= 3:
                lines.append(line)
    return lines


def gather_corpus(max_bytes: int, seed: int) -> list[str]:
    """Up to `max_bytes` of UTF-8 text as lines: every UNICODE_LINES entry (3 times each,
    first), then license lines in an order shuffled with `seed`. Deterministic."""
    out: list[str] = []
    used = 0
    for line in UNICODE_LINES * 3:
        out.append(line)
        used += len(line.encode("utf-8")) + 1
    english = license_lines()
    random.Random(seed).shuffle(english)
    for line in english:
        size = len(line.encode("utf-8")) + 1
        if used + size > max_bytes:
            break
        out.append(line)
        used += size
    return out
