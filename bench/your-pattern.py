#!/usr/bin/env python3
# bench/your-pattern.py - the program whose pattern make bench records and
# replays ("your pattern" in REPORT.md): an index read as 16 KiB pages at
# random from several files by several threads, as a database's point
# lookups read their index and data blocks.  Each page's length is checked;
# the program prints nothing.
#
#   your-pattern.py THREADS READS-PER-THREAD FILE...
import os
import random
import sys
import threading

PAGE = 16384


def lookups(seed, reads, fds, sizes):
    rng = random.Random(seed)
    for _ in range(reads):
        i = rng.randrange(len(fds))
        off = rng.randrange(sizes[i] // PAGE) * PAGE
        if len(os.pread(fds[i], PAGE, off)) != PAGE:
            sys.exit("your-pattern.py: a short read at %d of %s" % (off, sys.argv[3 + i]))


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: your-pattern.py THREADS READS-PER-THREAD FILE...")
    threads, reads = int(sys.argv[1]), int(sys.argv[2])
    fds = [os.open(p, os.O_RDONLY) for p in sys.argv[3:]]
    sizes = [os.fstat(fd).st_size for fd in fds]
    workers = [threading.Thread(target=lookups, args=(t, reads, fds, sizes)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


main()
