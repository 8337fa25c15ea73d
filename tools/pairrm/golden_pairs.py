"""The pairs of test/golden/pairrm.json: (name, instruction, input, candidate1, candidate2).
Cover plain text, empty instruction/input, truncation of sources and candidates, unicode,
newlines, literal [SEP]/[CLS] and marker strings in user text, identical candidates."""
from __future__ import annotations

LONG_EN = (
    "The licenses for most software and other practical works are designed to take away your "
    "freedom to share and change the works. By contrast, the General Public License is intended "
    "to guarantee your freedom to share and change all versions of a program, to make sure it "
    "remains free software for all its users."
)
LONG_CJK = "敏捷的棕色狐狸跳过了懒狗。我们今天学习机器学习和自然语言处理。" * 4

Pair = tuple[str, str, str, str, str]

PAIRS: list[Pair] = [
    ("plain", "Say hello.", "", "Hello!", "Goodbye."),
    ("plain_swapped", "Say hello.", "", "Goodbye.", "Hello!"),
    ("readme_hello", "", "hello!", "hi!", "f**k off!"),
    ("readme_love", "", "I love you!", "I hate you!", "I love you, too!"),
    ("readme_rank_a", "", "hello, how are you!", "get out!", "hi! I am fine, thanks!"),
    ("readme_rank_b", "", "hello, how are you!", "hi! I am fine, thanks!", "bye!"),
    ("instruction_and_input", "Translate to French: ", "the cat", "le chat", "the dog"),
    ("instruction_no_space", "Summarize", "This text is short.", "Short text.", "A long story."),
    ("empty_instruction", "", "What is 2 + 2?", "4", "5"),
    ("empty_input", "What is the capital of France?", "", "Paris", "London"),
    ("empty_source", "", "", "Something.", "Nothing."),
    ("empty_candidate1", "Answer briefly.", "", "", "Yes."),
    ("empty_both_candidates", "Answer briefly.", "", "", ""),
    ("identical_candidates", "Pick one.", "", "The same answer.", "The same answer."),
    ("identical_empty_source", "", "", "same", "same"),
    ("long_source", "Summarize the following text.\n", LONG_EN, "It is about freedom.", "It is about cats."),
    ("long_source_x3", "", LONG_EN * 3, "Short.", "Also short."),
    ("long_candidate1", "Explain the GPL.", "", LONG_EN, "It is a license."),
    ("long_candidate2", "Explain the GPL.", "", "It is a license.", LONG_EN),
    ("long_everything", LONG_EN, LONG_EN, LONG_EN + " One.", LONG_EN + " Two."),
    ("long_cjk", "总结：", LONG_CJK, "狐狸跳过了狗。", "懒狗睡觉。"),
    ("newlines", "Line one\nLine two", "\n\nthird\n", "a\nb", "a b"),
    ("crlf_tabs", "tab\there", "crlf\r\nline", "\tindented", "trailing space "),
    ("many_spaces", "  many    spaces  ", "", "double  space", " leading space"),
    ("emoji", "React with emoji.", "", "😀👍🎉", "👩\u200d💻 🇫🇷 ❤️"),
    ("cjk", "中文测试：", "敏捷的狐狸", "日本語のテキスト", "한국어 텍스트"),
    ("rtl", "العربية", "الكلب", "עברית שועל", "mixed עברית and English"),
    ("accents_combining", "Café naïve façade", "", "a\u0301 combining acute", "á precomposed"),
    ("fullwidth_ligatures", "full-width ＡＢＣ １２３", "", "ligatures ﬁne ﬂow ½ ²", "fine flow 1/2 2"),
    ("unknown_chars", "unknown chars: ☃ ♞ ⌘", "ᚠᛇᚻ", "☃☃☃", "♞ ⌘"),
    ("metaspace_char", "U+2581 \u2581 inside", "", "\u2581", "_"),
    ("invisible_chars", "nbsp\u00a0here", "zero\u200bwidth", "soft\u00adhyphen", "control\u0007bell"),
    ("literal_sep", "[SEP]", "x [SEP]  [SEP] y", "a[SEP]b", "[SEP][SEP]"),
    ("literal_cls", "[CLS] instruction", "", "[CLS]", "[PAD] [UNK] [MASK]"),
    ("literal_source_marker", "<|source|>", "<|source|> again", "<|source|>", "fine"),
    ("literal_candidate_markers", "", "a <|candidate1|> b", "<|candidate2|>", "<|candidate1|><|candidate|>"),
    ("literal_markers_everywhere", "<|candidate2|>", "<|candidate1|>", "<|source|>\n\nhello", "<|candidate|>"),
    ("marker_lookalike", "<|source", "|>", "<| candidate1 |>", "<|candidate3|>"),
    ("numbers", "Compute 12345 * 3.14", "", "38763.3", "38,763.30"),
    ("punctuation", "Quote this: “smart” ‘single’ — dash …", "", "\"smart\" 'single' - dash ...", "?!?!"),
    ("code", "Write Python.", "def f(x):\n    return x", "def f(x): return x * 2", "print('hi')"),
    ("caps", "ALL CAPS AND 12345 numbers 3.14", "", "all caps", "ALL CAPS"),
    ("single_chars", "x", "y", "z", "w"),
    ("whitespace_only", " ", "\t", "\n", "   "),
]
