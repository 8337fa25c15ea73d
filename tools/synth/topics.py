"""Snapshot of descriptions found on this machine, for the relevance and completeness
families: tools/synth/topics.json (committed). Two sources: Debian package descriptions
(/var/lib/dpkg/status) and the one-line NAME of section-1 manual pages (`apropos -l -s 1 .`).

Why a committed snapshot: both change whenever a package is installed, and the generated
data (hence the trained model) must not. Refresh deliberately with
`/usr/bin/python3 tools/synth/topics.py` (then retrain).

Kept: commands whose name has no digit and whose description is 3-10 ASCII words;
packages whose name is a plain program name (no lib*, -dev, -doc, -common, -data,
fonts, python3-*, ...) and whose one-line description is 3-12 ASCII words; the first
sentence of the long description when it is 6-24 ASCII words.
"""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

STATUS = Path("/var/lib/dpkg/status")
OUT = Path(__file__).resolve().parent / "topics.json"
SKIP_NAME = re.compile(r"^(lib|python3?-|fonts?-|node-|gir1|x11-|xserver-|linux-|gcc-\d|cpp-\d|g\+\+-)|"
                       r"-(dev|doc|common|data|bin|base|utils|core|tools|dbg|l10n|locales|examples)$|[0-9.]{3,}")
WORD = re.compile(r"^[A-Za-z][A-Za-z0-9'/+.,()-]*$")


def parse_status(text: str) -> list[dict[str, str]]:
    packages = []
    for block in text.split("\n\n"):
        name = short = ""
        long_lines: list[str] = []
        in_description = False
        for line in block.splitlines():
            if line.startswith("Package: "):
                name = line[9:].strip()
            elif line.startswith("Description: "):
                short, in_description = line[13:].strip(), True
            elif in_description and line.startswith(" "):
                long_lines.append(line.strip())
            else:
                in_description = False
        if name and short:
            packages.append({"name": name, "short": short, "long": " ".join(l for l in long_lines if l != ".")})
    return packages


def plain_words(text: str) -> bool:
    return all(WORD.match(w) for w in text.split())


def first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return match.group(1) if match else ""


def keep(package: dict[str, str]) -> dict[str, str] | None:
    name, short = package["name"], package["short"].rstrip(".")
    if SKIP_NAME.search(name) or not (3 <= len(short.split()) <= 12) or not plain_words(short):
        return None
    sentence = first_sentence(package["long"])
    if not (6 <= len(sentence.split()) <= 24 and plain_words(sentence)):
        sentence = ""
    return {"name": name, "short": short, "detail": sentence}


def manual_commands() -> list[dict[str, str]]:
    listing = subprocess.run(["apropos", "-l", "-s", "1", "."], capture_output=True, text=True, check=True).stdout
    commands = []
    for line in listing.splitlines():
        name, _, description = line.partition(" (1) ")
        name, description = name.strip(), description.strip().lstrip("-").strip().rstrip(".")
        if not description or re.search(r"\d|^\W", name) or len(name) > 20:
            continue
        if 3 <= len(description.split()) <= 10 and plain_words(description):
            commands.append({"name": name, "kind": "command", "short": description, "detail": ""})
    return commands


def main() -> None:
    packages = [dict(entry, kind="package") for p in parse_status(STATUS.read_text(encoding="utf-8", errors="replace"))
                if (entry := keep(p))]
    kept, seen_short, seen_name = [], set(), set()
    for entry in sorted(packages + manual_commands(), key=lambda t: (t["kind"], t["name"])):
        if entry["short"].lower() not in seen_short and entry["name"] not in seen_name:
            seen_short.add(entry["short"].lower())
            seen_name.add(entry["name"])
            kept.append({k: entry[k] for k in ("name", "kind", "short", "detail")})
    OUT.write_text(json.dumps({"source": f"{STATUS} and apropos -l -s 1 .", "topics": kept}, indent=1,
                              ensure_ascii=False) + "\n")
    print(f"{len(kept)} topics ({sum(bool(t['detail']) for t in kept)} with a detail sentence) -> {OUT}")


if __name__ == "__main__":
    main()
