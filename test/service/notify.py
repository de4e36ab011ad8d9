#!/usr/bin/env python3
"""Runs one program as systemd would run a Type=notify unit, with a
NOTIFY_SOCKET of our own, and checks its sd_notify messages: READY=1 (with
a STATUS= matching --status), WATCHDOG=1 at half of WATCHDOG_USEC while it
runs, and STOPPING=1 after SIGTERM, then a clean exit.

  notify.py [--watchdog-usec N] [--status REGEX] [--seconds S] [--name N]
            [--no-watchdog] -- COMMAND ARGS...

Prints one "  ok   ..." or "  FAIL ..." line per check (test/service/run.sh
counts them) and exits 0 once they are printed, failed or not: any other
exit (a traceback) is a failure of its own for run.sh to count."""
import argparse
import os
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time


def parse():
    p = argparse.ArgumentParser()
    p.add_argument("--watchdog-usec", type=int, default=1000000)
    p.add_argument("--watchdog-pid", type=int, default=0,
                   help="WATCHDOG_PID of another process (no pings then)")
    p.add_argument("--status", default=".")
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--ready-timeout", type=float, default=10.0)
    p.add_argument("--name", default="")
    p.add_argument("--no-watchdog", action="store_true",
                   help="expect no WATCHDOG=1 at all")
    p.add_argument("command", nargs="+")
    return p.parse_args()


failed = 0


def check(ok, what):
    global failed
    print("  %s %s" % ("ok  " if ok else "FAIL", what), flush=True)
    if not ok:
        failed += 1


def main():
    args = parse()
    name = args.name or os.path.basename(args.command[0])
    tmp = tempfile.mkdtemp(prefix="notify-")
    path = os.path.join(tmp, "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    # A service user (setpriv in run.sh) must be able to send to it.
    os.chmod(tmp, 0o755)
    os.chmod(path, 0o777)
    env = dict(os.environ, NOTIFY_SOCKET=path)
    if args.watchdog_usec:
        env["WATCHDOG_USEC"] = str(args.watchdog_usec)
    log = open(os.path.join(tmp, "output"), "w+")
    command = args.command
    if args.watchdog_pid:
        env["WATCHDOG_PID"] = str(args.watchdog_pid)
    elif args.watchdog_usec:
        # As systemd does: WATCHDOG_PID is the main process itself, known
        # only after the fork, so a shell sets it and execs the program.
        command = ["sh", "-c", 'WATCHDOG_PID=$$ exec "$@"', "sh"] + command
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=log)
    messages = []		# (seconds since start, text)
    start = time.monotonic()

    def receive(until):
        while True:
            left = until - time.monotonic()
            if left <= 0:
                return
            r, _, _ = select.select([sock], [], [], left)
            if r:
                data = sock.recv(4096).decode(errors="replace")
                messages.append((time.monotonic() - start, data))

    def first(key):
        for at, text in messages:
            if key in text.split("\n"):
                return at, text
        return None

    deadline = start + args.ready_timeout
    while time.monotonic() < deadline and not first("READY=1"):
        if proc.poll() is not None:
            break
        receive(min(deadline, time.monotonic() + 0.1))
    ready = first("READY=1")
    check(ready is not None, "%s: READY=1 within %.0f s" %
          (name, args.ready_timeout))
    status = ""
    if ready:
        for line in ready[1].split("\n"):
            if line.startswith("STATUS="):
                status = line[len("STATUS="):]
    check(re.search(args.status, status) is not None,
          "%s: READY's STATUS= says '%s' (/%s/)" % (name, status, args.status))
    ready_at = ready[0] if ready else time.monotonic() - start
    receive(time.monotonic() + args.seconds)
    pings = [at for at, text in messages
             if "WATCHDOG=1" in text.split("\n") and at >= ready_at]
    interval = args.watchdog_usec / 2e6
    if args.no_watchdog:
        check(not pings, "%s: no WATCHDOG=1 when the watchdog is not its "
              "own (%d sent)" % (name, len(pings)))
    else:
        want = int(args.seconds / interval) - 1
        gaps = [b - a for a, b in zip(pings, pings[1:])]
        check(len(pings) >= want,
              "%s: %d WATCHDOG=1 in %.1f s after READY (at least %d, one "
              "every %.2f s)" % (name, len(pings), args.seconds, want,
                                  interval))
        # Late pings are what gets a service killed: none may come later
        # than the watchdog's own timeout.
        worst = max(gaps) if gaps else 0.0
        check(gaps and worst < args.watchdog_usec / 1e6,
              "%s: every ping within WATCHDOG_USEC of the last (longest "
              "gap %.2f s, limit %.2f s)" % (name, worst,
                                            args.watchdog_usec / 1e6))
    alive = proc.poll() is None
    check(alive, "%s: still running before SIGTERM" % name)
    count_before = len(messages)
    if alive:
        proc.send_signal(signal.SIGTERM)
    stop_deadline = time.monotonic() + 10
    while time.monotonic() < stop_deadline and proc.poll() is None:
        receive(time.monotonic() + 0.1)
    receive(time.monotonic() + 0.2)
    stopping = any("STOPPING=1" in text.split("\n")
                   for _, text in messages[count_before:])
    check(stopping, "%s: STOPPING=1 after SIGTERM" % name)
    if proc.poll() is None:
        proc.kill()
    code = proc.wait()
    check(code == 0, "%s: exit status 0 after SIGTERM (got %d)" %
          (name, code))
    if failed:
        log.seek(0)
        sys.stdout.write("  --- %s output:\n" % name)
        for line in log.read().splitlines()[-30:]:
            sys.stdout.write("  | %s\n" % line)
        for at, text in messages:
            sys.stdout.write("  | %.2f s: %s\n" % (at, text.replace("\n", " ")))
    sock.close()
    os.unlink(path)
    return 0


sys.exit(main())
