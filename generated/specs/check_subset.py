#!/usr/bin/env python3
"""Check that generated/specs/dellemc.swagger.json agrees with the vendor PowerStore spec.

Compares facts only: paths, methods, parameters, response codes and schemas,
definition fields, types, formats, enums, limits, required lists and x- markers.
Descriptions, summaries and x-display_enum_text are ignored (ours are rewritten).
It also fails if a description of ours repeats a long (>= 80 chars) vendor one.

Limits the vendor spec lacks but another source states are added on purpose; each is listed
in DELIBERATE with its source, must be in our spec exactly as listed there, and is reported.

Vendor spec: $POWERSTORE_SPEC, else <repo>/../shared/specs/powerstore-4.0.0.0.swagger.json.
Exit status 0 when everything agrees.
"""
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENDOR = Path(os.environ.get("POWERSTORE_SPEC")
              or HERE.parent.parent.parent / "shared/specs/powerstore-4.0.0.0.swagger.json")
PROSE = {"description", "summary", "x-display_enum_text"}
METHODS = {"get", "put", "post", "patch", "delete", "head", "options"}

problems = []

NO_SPACE_OR_UNPRINTABLE = (r"^[^\s\x00-\x1f\x7f-\x9f\u00a0\u1680\u2000-\u200a"
                           r"\u2028\u2029\u202f\u205f\u3000\ufeff]+$")
NO_UNPRINTABLE = r"^[^\x00-\x1f\x7f-\x9f]*$"

# Limits carried on purpose though the vendor spec has none: schema path -> keyword -> value.
# The patterns spell out what SPEC's own descriptions say in words; the regex is valid both in
# ECMA-262 (Prism, other tools) and in the Rust regex syntax the generated checks use, and it
# lists JavaScript's white space explicitly because the Rust side's \s is ASCII only.
DELIBERATE = {
    "import_session_create.name": {
        # ../shared/seeds/powerstore-import-session.txt: `name | String[1,128] | true`.
        "minLength": 1,
        # SPEC: "cannot contain special HTTP characters, unprintable characters, or white
        # space" (special HTTP characters are not defined there, so not checked).
        "pattern": NO_SPACE_OR_UNPRINTABLE,
    },
    "import_session_create.description": {
        # seed: `description | Optional[String[1,128]] | false`.
        "minLength": 1,
        # SPEC: "cannot contain unprintable characters".
        "pattern": NO_UNPRINTABLE,
    },
}
deliberate_seen = []


def facts(node):
    """The node without prose, recursively (properties handled by the caller)."""
    if isinstance(node, list):
        return [facts(x) for x in node]
    if not isinstance(node, dict):
        return node
    return {k: facts(v) for k, v in node.items() if k not in PROSE}


def compare_schema(ours, theirs, where):
    ours_props = ours.get("properties", {})
    theirs_props = theirs.get("properties", {})
    for name in ours_props:
        if name not in theirs_props:
            problems.append(f"{where}: property {name} is not in the vendor spec")
        else:
            compare_schema(ours_props[name], theirs_props[name], f"{where}.{name}")
    rest_ours = facts({k: v for k, v in ours.items() if k != "properties"})
    rest_theirs = facts({k: v for k, v in theirs.items() if k != "properties"})
    for key, value in DELIBERATE.get(where, {}).items():
        if key in theirs:
            problems.append(f"{where}: the vendor spec now has {key}; drop it from DELIBERATE")
        elif rest_ours.get(key) != value:
            problems.append(f"{where}: {key} is {rest_ours.get(key)!r}, DELIBERATE says {value!r}")
        else:
            rest_ours.pop(key)
            deliberate_seen.append(f"{where}.{key}")
    if ("properties" in ours) != ("properties" in theirs):
        problems.append(f"{where}: one side has properties, the other not")
    if rest_ours != rest_theirs:
        problems.append(f"{where}: {json.dumps(rest_ours)} != vendor {json.dumps(rest_theirs)}")
    return len(theirs_props) - len([n for n in ours_props if n in theirs_props])


def descriptions(node, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("description", "summary") and isinstance(v, str):
                out.append(v)
            else:
                descriptions(v, out)
    elif isinstance(node, list):
        for v in node:
            descriptions(v, out)
    return out


def main():
    ours = json.loads((HERE / "dellemc.swagger.json").read_text())
    theirs = json.loads(VENDOR.read_text())
    ops = 0
    for path, item in ours["paths"].items():
        vitem = theirs["paths"].get(path)
        if vitem is None:
            problems.append(f"path {path} is not in the vendor spec")
            continue
        if facts(item.get("parameters")) != facts(vitem.get("parameters")):
            problems.append(f"{path}: path-level parameters differ")
        for method, op in item.items():
            if method not in METHODS:
                continue
            ops += 1
            vop = vitem.get(method)
            where = f"{method.upper()} {path}"
            if vop is None:
                problems.append(f"{where} is not in the vendor spec")
                continue
            for key in sorted(set(op) | set(vop)):
                if key in PROSE:
                    continue
                if key == "operationId":
                    if key in op:
                        problems.append(f"{where}: has an operationId")
                    continue
                if facts(op.get(key)) != facts(vop.get(key)):
                    problems.append(f"{where}: {key} differs from the vendor spec")
    dropped = 0
    for name, schema in ours["definitions"].items():
        if name not in theirs["definitions"]:
            problems.append(f"definition {name} is not in the vendor spec")
            continue
        dropped += compare_schema(schema, theirs["definitions"][name], name)
    long_vendor = {d.strip() for d in descriptions(theirs, []) if len(d.strip()) >= 80}
    repeated = [d for d in descriptions(ours, []) if d.strip() in long_vendor]
    if repeated:
        problems.append(f"{len(repeated)} descriptions repeat the vendor's words: {repeated[:3]}")
    print(f"{len(ours['paths'])} paths, {ops} operations, {len(ours['definitions'])} definitions "
          f"checked against {VENDOR.name}; {dropped} vendor properties left out on purpose")
    missing = [f"{w}.{k}" for w, keys in DELIBERATE.items() for k in keys
               if f"{w}.{k}" not in deliberate_seen]
    for m in missing:
        problems.append(f"{m}: listed in DELIBERATE but not in our spec")
    print(f"{len(deliberate_seen)} limits the vendor spec lacks added on purpose: "
          f"{', '.join(deliberate_seen)}")
    for p in problems:
        print("MISMATCH", p)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
