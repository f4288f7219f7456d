"""CPU time of cross-article entity linking (``analysis/linking.py``), which the Entities page's
corpus view computes from the corpus aggregate when the store changes (then cached per revision).

Synthetic corpora of N distinct names (people with shared surnames, lone surnames, organisations
with departments, acronyms) stand in for stores of many articles; ``--db`` also times a real
store's ``entity_links()`` (first call, then the cached one).

    python benchmarks/bench_linking.py [--sizes 10000 30000 60000] [--db STORE]
"""

from __future__ import annotations

import argparse
import os
import random
import time

from _common import machine, print_table

from analysis.linking import CorpusName, link_corpus


def synthetic_names(n: int, seed: int = 1) -> list[CorpusName]:
    """``n`` names in the mix of a news corpus: 55% full person names, 15% lone surnames, 25%
    organisations (some "X Department" / "Department of X"), 5% three-letter acronyms."""
    rng = random.Random(seed)
    first = [f"Fa{i}" for i in range(n // 20 + 10)]
    last = [f"Lb{i}" for i in range(n // 7 + 10)]
    names: dict[tuple[str, str], CorpusName] = {}
    while len(names) < n:
        kind = rng.random()
        if kind < 0.55:
            key = (f"{rng.choice(first)} {rng.choice(last)}", "PERSON")
        elif kind < 0.70:
            key = (rng.choice(last), "PERSON")
        elif kind < 0.95:
            topic = rng.choice(last)
            key = (rng.choice([f"{topic} Department", f"Department of {topic}", f"{topic} Board", f"{topic} Group"]), "ORG")
        else:
            key = ("".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(3)), "ORG")
        names[key] = CorpusName(key[0], key[1], rng.randint(1, 30), rng.randint(1, 90))
    return list(names.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 60_000])
    parser.add_argument("--db", help="a store to time entity_links() on")
    args = parser.parse_args()
    info = machine()
    print(f"machine: {info}  load average: {os.getloadavg()[0]:.1f}")
    rows = []
    for n in args.sizes:
        names = synthetic_names(n)
        start = time.process_time()
        found = link_corpus(names)
        rows.append((n, round(time.process_time() - start, 2), len(found.links), len(found.ambiguous)))
    print_table(["distinct names", "CPU s", "linked", "ambiguous surnames"], rows)
    if args.db:
        from analysis.store import Store

        store = Store(args.db)
        start = time.process_time()
        links = store.entity_links()
        first = time.process_time() - start
        start = time.process_time()
        store.entity_links()
        again = time.process_time() - start
        names = store.con.execute("SELECT COUNT(*) FROM corpus_entities").fetchone()[0]
        print_table(
            ["store", "articles", "distinct names", "links", "first call CPU s", "cached CPU s"],
            [(os.path.basename(args.db), store.count(), names, len(links), round(first, 3), round(again, 4))],
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
