#!/usr/bin/env python3
"""Times of the messages in a SIPp -message_file whose first line matches.

Usage: msgtimes.py FILE REGEX [received|sent]
Prints one line per matching message (default: received ones): seconds
since the epoch, as SIPp stamped it in the separator line above it.
"""
import re
import sys
from datetime import datetime


def main():
    path, want = sys.argv[1], re.compile(sys.argv[2])
    direction = sys.argv[3] if len(sys.argv) > 3 else "received"
    stamp = kind = first = None
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.startswith("-" * 47):
                when = " ".join(line.split()[1:3])
                if when:    # SIPp's "Unexpected message" blocks have none
                    stamp = datetime.strptime(when, "%Y-%m-%d %H:%M:%S.%f").timestamp()
                kind = first = None
            elif kind is None and "message " in line:
                kind = "received" if "received" in line else "sent"
            elif kind is not None and first is None and line:
                first = line
                if kind == direction and want.search(first):
                    print("%.3f" % stamp)


if __name__ == "__main__":
    main()
