"""Fails when a GEMM micro-kernel keeps vectors in stack slots inside its hot loop.

    python3 benchmarks/jit/check-spills.py LISTING.asm [--label NAME]

Reads the x64 or Arm64 disassembly that the JIT writes under DOTNET_JitDisasm (one "; Assembly listing for method"
header per compiled method). A loop is the code from a label to a later jump back to that label; an innermost loop
holds no other. In each innermost loop that contains a fused multiply-add, every instruction that moves a vector
register to or from the stack frame is a spill or a reload: the register tile did not fit the register file. Prints one
line per method and exits 1 when any loop spills, 2 when the listing holds no kernel. Standard library only.
"""

import argparse
import re
import sys

HEADER = re.compile(r"^; Assembly listing for method (?P<name>\S+)")
LABEL = re.compile(r"^(?P<label>G_M\d+_IG\d+):")
JUMP = re.compile(r"^\s+(?:j[a-z]+|b(?:\.[a-z]+)?|cb[n]?z|tb[n]?z)\s+(?:SHORT\s+)?(?:[a-z0-9]+,\s*(?:#\d+,\s*)?)?(?P<target>G_M\d+_IG\d+)\b")
FUSED_MULTIPLY_ADD = re.compile(r"^\s+(?:v?fmadd\d*[ps][sd]|vfnmadd\d*[ps][sd]|fmla|fmadd)\b")
VECTOR_REGISTER = re.compile(r"\b(?:[xyz]mm\d+|[qv]\d+(?:\.\d*[sdbh])?)\b")
STACK_SLOT = re.compile(r"\[(?:rbp|rsp|fp|sp)\b")


def methods(lines):
    """Yields (method name, its instruction lines)."""
    name, body = None, []
    for line in lines:
        header = HEADER.match(line)
        if header:
            if name is not None:
                yield name, body
            name, body = header.group("name"), []
        elif name is not None:
            body.append(line.rstrip("\n"))
    if name is not None:
        yield name, body


def innermost_loops(body):
    """(first line, last line) of each loop that contains no other loop."""
    labels, loops = {}, []
    for index, line in enumerate(body):
        label = LABEL.match(line)
        if label:
            labels[label.group("label")] = index
            continue
        jump = JUMP.match(line)
        if jump and jump.group("target") in labels:
            loops.append((labels[jump.group("target")], index))
    return [loop for loop in loops
            if not any(other != loop and loop[0] <= other[0] and other[1] <= loop[1] for other in loops)]


def spills(body, loop):
    first, last = loop
    lines = body[first:last + 1]
    if not any(FUSED_MULTIPLY_ADD.match(line) for line in lines):
        return None
    return [line.strip() for line in lines
            if STACK_SLOT.search(line) and VECTOR_REGISTER.search(line.split(";")[0])]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("listing", help="the file DOTNET_JitStdOutFile named")
    parser.add_argument("--label", default="", help="a name for this run (the vector width), printed with each line")
    args = parser.parse_args()

    with open(args.listing, encoding="utf-8", errors="replace") as file:
        compiled = list(methods(file))
    checked = failed = 0
    prefix = f"[{args.label}] " if args.label else ""
    for name, body in compiled:
        loops = [found for found in (spills(body, loop) for loop in innermost_loops(body)) if found is not None]
        if not loops:
            continue
        checked += 1
        spilled = [line for found in loops for line in found]
        short = re.sub(r"(?:Ppo\.Tensors\.|System\.Runtime\.Intrinsics\.)", "", name)
        if spilled:
            failed += 1
            print(f"{prefix}SPILLS  {short}: {len(spilled)} stack moves in {len(loops)} hot loop(s), e.g. {spilled[0]}")
        else:
            print(f"{prefix}ok      {short}: {len(loops)} hot loop(s)")
    if checked == 0:
        print(f"{prefix}No method with a fused multiply-add loop in {args.listing}.", file=sys.stderr)
        return 2
    print(f"{prefix}{checked - failed} of {checked} kernels keep their hot loops in registers.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
