#!/usr/bin/env python3
"""tests/plancheck.py PLAN FILE - execute an `mmbench plan` (JSON lines) on
FILE with plain Python, by the rule in the plan's header, and print one line
per step: workload, rep, ops, and whether the checksum matched.  Exits 1
when any step did not.  Update steps are undone after each step, as the plan
says every step starts from the file as it was.  A reference for the rule,
not a benchmark."""
import json
import mmap
import sys

MASK = (1 << 64) - 1


def consume(block, touch_step):
    if touch_step:
        return sum(int.from_bytes(block[i:i + 8].ljust(8, b"\0"), "little")
                   for i in range(0, len(block), touch_step)) & MASK
    whole = len(block) // 8 * 8
    total = sum(memoryview(block[:whole]).cast("Q")) if whole else 0
    if len(block) > whole:
        total += int.from_bytes(block[whole:].ljust(8, b"\0"), "little")
    return total & MASK


def main():
    plan, path = sys.argv[1], sys.argv[2]
    with open(path, "r+b") as f:
        mm = mmap.mmap(f.fileno(), 0)
        steps, step = [], None
        with open(plan) as lines:
            for line in lines:
                d = json.loads(line)
                if d["type"] == "step":
                    step = dict(d, operations=[])
                    steps.append(step)
                elif d["type"] == "op":
                    step["operations"].append((d["off"], d["len"]))
        bad = 0
        for s in steps:
            original = bytes(mm[:])
            total = 0
            for off, length in s["operations"]:
                block = bytes(mm[off:off + length])
                total = (total + consume(block, s["touch_step"]) * (off // 4 + 1)) & MASK
                if s["op"] == "update":
                    words = memoryview(block).cast("Q")
                    mm[off:off + length] = b"".join(((w + 1) & MASK).to_bytes(8, "little")
                                                    for w in words)
            mm[:] = original
            good = total == int(s["expected_checksum"])
            bad += not good
            print(s["workload"], s["rep"], len(s["operations"]), "ok" if good else "MISMATCH")
        mm.close()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
