"""Makes `brp-test-persons.json`: a compact subset of the official BRP personen-mock test persons.

Source: BRP-API/Haal-Centraal-BRP-bevragen, `src/config/BrpService/test-data.json` at commit
a19a3debcdae1f17c47da84d15c1d46a927e1f93 (2024-06-11), licence EUPL-1.2 (© RvIG); in the project's shared data as
`personen-mock-test-data_2024-06-11.json` (3.5 MB, 1,176 persons). The tests need a few dozen, so the repository
keeps a subset, copied record by record without change: persons with a foreign nationality and a partner or
children (the inburgering case), their partners and children, and some deceased persons.

Run: python tests/interop/data/make_brp_subset.py /path/to/personen-mock-test-data_2024-06-11.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).with_name("brp-test-persons.json")
MAX_FAMILIES = 30
MAX_DECEASED = 5


def main(source: str) -> None:
    persons = json.loads(Path(source).read_text(encoding="utf-8"))
    by_bsn = {person["burgerservicenummer"]: person for person in persons}
    chosen: dict[str, dict] = {}
    families = 0
    for person in persons:
        codes = [n.get("nationaliteit", {}).get("code") for n in person.get("nationaliteiten", [])]
        if not codes or codes[0] in ("0001", None) or not (person.get("partners") or person.get("kinderen")):
            continue
        chosen[person["burgerservicenummer"]] = person
        for related in [*person.get("partners", []), *person.get("kinderen", [])]:
            bsn = related.get("burgerservicenummer")
            if bsn in by_bsn:
                chosen[bsn] = by_bsn[bsn]
        families += 1
        if families >= MAX_FAMILIES:
            break
    deceased = [person for person in persons if person.get("overlijden")][:MAX_DECEASED]
    chosen.update({person["burgerservicenummer"]: person for person in deceased})
    OUT.write_text(json.dumps(list(chosen.values()), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(chosen)} persons written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
