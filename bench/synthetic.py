"""Write a synthetic roundup post of N sessions in the reference format.

Deterministic for a given N (seeded), so runs compare: two days, one to three linked speakers
per session drawn from a pool (people speak more than once), a description, a YouTube iframe
and, for most sessions, a SlideShare iframe.
"""

import random
import string
import sys
from pathlib import Path

ID_CHARS = string.ascii_letters + string.digits + "-_"
KEY_CHARS = string.ascii_letters + string.digits
FIRST = ["Ana", "Boris", "Chen", "Dara", "Emil", "Fatou", "Goran", "Hana", "Ivo", "Jun", "Kofi"]
LAST = ["Ivanova", "Okafor", "Lindqvist", "Moreau", "Nakamura", "Petrov", "Quispe", "Rossi"]
TOPICS = ["Storage", "Networking", "Kubernetes", "Security", "Upgrades", "Monitoring", "DRS"]


def speaker_pool(rng, size):
    people = []
    for index in range(size):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {index}"
        people.append((name, f"https://www.linkedin.com/in/bench-speaker-{index}/"))
    return people


def session_block(rng, number, people):
    speakers = rng.sample(people, k=rng.choice([1, 1, 2, 3]))
    names = ", ".join(f"[{name}]({url})" for name, url in speakers)
    video = "".join(rng.choice(ID_CHARS) for _ in range(11))
    deck = "".join(rng.choice(KEY_CHARS) for _ in range(14))
    lines = [
        f"### {rng.choice(TOPICS)} in Practice, Part {number}, {names}",
        "",
        f"Session {number} looks at {rng.choice(TOPICS).lower()} at scale: what worked, what "
        "did not, and what the community plans next. It closes with questions from the room.",
        "",
        f'<iframe width="640" height="315" src="https://www.youtube.com/embed/{video}" '
        'title="YouTube video player" frameborder="0" allowfullscreen></iframe>',
        "",
    ]
    if number % 10 != 0:
        lines += [
            f'<iframe src="https://www.slideshare.net/slideshow/embed_code/key/{deck}" '
            'width="640" height="480" frameborder="0"></iframe>',
            "",
        ]
    return lines


def synthetic_roundup(sessions):
    rng = random.Random(sessions)
    people = speaker_pool(rng, max(4, sessions // 2))
    lines = [
        "---",
        f"title: Benchmark Conference {sessions} Event Roundup",
        f"slug: bench-{sessions}",
        "---",
        "",
        "The Benchmark Conference took place on 23-24th November 2023 in the Example Hall, "
        f"Paris. It hosted over {sessions * 10} attendees from 30+ countries.",
        "",
        "<!-- truncate -->",
        "",
    ]
    first_day = (sessions + 1) // 2
    for number in range(1, sessions + 1):
        if number in (1, first_day + 1):
            lines += [f"## Day {1 if number == 1 else 2} Sessions", ""]
        lines += session_block(rng, number, people)
    return "\n".join(lines)


def write_synthetic_roundup(sessions, folder):
    path = Path(folder) / f"bench-{sessions}.md"
    path.write_text(synthetic_roundup(sessions), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_synthetic_roundup(int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "."))
