#!/usr/bin/env python3
"""srtp_fleet's endpoints for every call srtprelayd holds: one phone per leg.

    fleet_endpoints.py CALLS_JSON CALLER_KEY CALLEE_KEY MSGLOG...

CALLS_JSON is `srtprelayctl -j calls`. For each leg's media line the phone
is the leg's SDP address (the SIPp peer's m= port), srtprelayd's side is
127.0.0.1:<our port>, the phone sends with its own key (CALLER_KEY or
CALLEE_KEY, as its SDP said) and decrypts with the key srtprelayd sent it:
the a=crypto line of the SDP that carried our port, found in the SIPp
message logs (the UACs' 200 answers, the UASes' INVITE offers; tag 1).
Prints one srtp_fleet line per endpoint; exits 1 if a key is missing.
"""
import json
import re
import sys


def our_keys(paths):
    """Our port -> the key we sent with it, from every SDP SIPp received."""
    keys = {}
    for path in paths:
        with open(path, errors="replace") as f:
            text = f.read()
        for sdp in re.split(r"\n-{20,}", text):
            if "received" not in sdp:
                continue
            port = re.search(r"^m=audio (\d+) ", sdp, re.M)
            key = re.search(r"^a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:([A-Za-z0-9+/=]+)",
                            sdp, re.M)
            if port and key:
                keys.setdefault(int(port.group(1)), key.group(1))
    return keys


def main():
    with open(sys.argv[1]) as f:
        calls = json.load(f)["calls"]
    phone_key = {"caller": sys.argv[2], "callee": sys.argv[3]}
    keys = our_keys(sys.argv[4:])
    missing = 0
    ssrc = 0x10000
    for call in calls:
        for leg in call["legs"]:
            for m in leg["media"]:
                ssrc += 1
                if m["port"] not in keys:
                    missing += 1
                    continue
                print("%s 127.0.0.1:%d %s %s %d" % (m["remote"], m["port"],
                      phone_key[leg["role"]], keys[m["port"]], ssrc))
    if missing:
        print("fleet_endpoints: no key for %d media lines" % missing, file=sys.stderr)
        sys.exit(1)


main()
