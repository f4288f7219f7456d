"""Writes sample.jsonl: nine short made-up articles (three stories, each told by three fictional
outlets), written for Newslens and free to reuse (CC0). Every person, company and outlet is
invented. Load them with ``python -m analysis ingest data/sample`` (or the Stories page's button).
Run this script after editing the texts below: ``python data/sample/build_sample.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

COURIER = ("The Harbour Courier", "https://harbourcourier.example/news")
LEDGER = ("Valley Ledger", "https://valleyledger.example/business")
WIRE = ("Northern Wire", "https://northernwire.example/world")

ARTICLES = [
    # -- story 1: a dock strike in Eastmere ------------------------------------------------------
    (COURIER, "2026-03-02", "eastmere-dockers-walk-out",
     "Eastmere dockworkers walk out over unsafe night shifts",
     "Hundreds of dockworkers at the Port of Eastmere walked off the job on Monday, saying night "
     "shifts had become dangerous after the port cut crane crews to save money.\n\n"
     "\"Our members are tired of risking their lives so the port can post record profits,\" said "
     "Dana Okafor, the leader of the Eastmere Dockworkers Union. \"We will stay out until every "
     "crane has a full crew again.\"\n\n"
     "Two workers were injured in February when a container slipped during a night shift. The "
     "union says the Eastmere Port Authority ignored three written warnings.\n\n"
     "Mayor Lucia Ferrante visited the picket line and urged both sides to meet. \"Nobody wins a "
     "long strike,\" she said."),
    (LEDGER, "2026-03-02", "port-strike-halts-eastmere-trade",
     "Port strike halts Eastmere trade as union rejects pay offer",
     "Cargo traffic at the Port of Eastmere ground to a halt on Monday after the Eastmere "
     "Dockworkers Union rejected a pay offer and called a strike, stranding 40 ships offshore.\n\n"
     "Martin Hale, the chief executive of the Eastmere Port Authority, called the walkout "
     "reckless. \"This strike costs the regional economy two million a day,\" Hale said. \"Our "
     "offer was fair and our safety record is among the best in the country.\"\n\n"
     "Exporters warned of shortages. Union leader Dana Okafor said the dispute was about safety, "
     "not pay.\n\n"
     "Mayor Lucia Ferrante said she would host talks on Wednesday."),
    (WIRE, "2026-03-03", "eastmere-port-strike-talks",
     "Eastmere port strike enters second day as mayor calls talks",
     "A strike by dockworkers at the Port of Eastmere entered its second day on Tuesday, with the "
     "union and the Eastmere Port Authority blaming each other for the stoppage.\n\n"
     "The Eastmere Dockworkers Union says smaller crane crews on night shifts are unsafe. The "
     "port authority says crews meet national rules.\n\n"
     "\"We want a written promise on crew sizes,\" said Dana Okafor, the union's leader. Martin "
     "Hale, who runs the port authority, said the union had \"walked away from a fair deal\".\n\n"
     "Mayor Lucia Ferrante will chair talks between the two sides on Wednesday."),
    # -- story 2: an electric-van recall ----------------------------------------------------------
    (COURIER, "2026-03-04", "kestrel-vans-recalled-fires",
     "Kestrel Motors recalls 40,000 vans after battery fires",
     "Kestrel Motors is recalling 40,000 electric delivery vans after at least six battery fires, "
     "the National Transport Safety Office said on Wednesday.\n\n"
     "The safety office said drivers should park the vans outdoors until they are repaired. "
     "\"These fires started while the vans were charging overnight,\" said Tom Verhoeven, a "
     "spokesman for the office.\n\n"
     "Drivers' groups criticised the company for waiting months. \"Kestrel knew about the fires "
     "in the autumn,\" said Anna Lindqvist of the Delivery Drivers Association."),
    (LEDGER, "2026-03-04", "kestrel-recall-costs",
     "Kestrel Motors shares slide on van recall",
     "Shares in Kestrel Motors fell 8 percent on Wednesday after the carmaker announced a recall "
     "of 40,000 electric vans to replace a battery part.\n\n"
     "Chief executive Priya Nandakumar said the recall would cost about 120 million and would not "
     "delay the company's new model. \"We acted as soon as our engineers found the cause,\" "
     "Nandakumar said. \"Our customers' safety comes first.\"\n\n"
     "Analysts at Brightwater Capital said the cost was manageable. The National Transport Safety "
     "Office said six fires had been reported."),
    (WIRE, "2026-03-05", "kestrel-van-recall-regulator",
     "Regulator orders checks as Kestrel recalls electric vans",
     "The National Transport Safety Office ordered checks on 40,000 Kestrel Motors electric vans "
     "after six battery fires, the regulator said.\n\n"
     "Kestrel Motors said a faulty cooling pipe could let batteries overheat while charging. "
     "\"The repair takes about two hours and costs owners nothing,\" said Priya Nandakumar, the "
     "company's chief executive.\n\n"
     "Tom Verhoeven, speaking for the safety office, said no one had been hurt. The Delivery "
     "Drivers Association said drivers should be paid while their vans are off the road."),
    # -- story 3: a flood-defence plan ------------------------------------------------------------
    (COURIER, "2026-03-06", "avel-flood-plan-too-little",
     "Critics say flood plan for River Avel towns comes too late",
     "Environment Minister Helen Strand on Friday announced a 1.2 billion plan to raise flood "
     "walls along the River Avel, two winters after floods forced 3,000 people from their homes.\n\n"
     "Residents in Millbrook said the money came too late. \"We have been bailing out our kitchens "
     "while ministers wrote reports,\" said Joan Pryce, who chairs the Millbrook Flood Group.\n\n"
     "Opposition leader Graham Pike said the plan was \"a press release, not a promise\"."),
    (LEDGER, "2026-03-06", "flood-walls-contracts",
     "Government unveils 1.2 billion flood defence plan for River Avel",
     "The government unveiled a 1.2 billion programme on Friday to strengthen flood defences "
     "along the River Avel, with building contracts to be offered from the summer.\n\n"
     "\"This is the largest investment in flood protection in a generation,\" Environment Minister "
     "Helen Strand said. \"Work will start in Millbrook first.\"\n\n"
     "Builders welcomed the plan. Graham Pike, the opposition leader, questioned how it would be "
     "paid for."),
    (WIRE, "2026-03-07", "river-avel-defences",
     "Minister promises new flood walls on the River Avel",
     "Helen Strand, the environment minister, promised new flood walls for towns on the River "
     "Avel, where floods two years ago damaged 1,400 homes.\n\n"
     "The plan will cost 1.2 billion over six years. \"Millbrook will not be left to flood again,\" "
     "Strand said.\n\n"
     "Joan Pryce of the Millbrook Flood Group said residents would judge the plan by what gets "
     "built. Opposition leader Graham Pike called the timetable too slow."),
]


def main() -> None:
    out = Path(__file__).with_name("sample.jsonl")
    with out.open("w", encoding="utf-8") as f:
        for (source, base), published, slug, title, body in ARTICLES:
            row = {"title": title, "text": f"{title}\n\n{body}", "source": source,
                   "url": f"{base}/{published.replace('-', '/')}/{slug}", "published": published}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(ARTICLES)} articles written to {out}")


if __name__ == "__main__":
    main()
