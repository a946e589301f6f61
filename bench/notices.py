#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""How fast welcome notices go out: `member add` of N people to a group
with notify_members on, once with `/bin/true` as sendmail (mailgroup's own cost:
composing, spawning, the outbox) and once with the real Postfix sendmail of
an isolated instance (tests/postfix/instance.py), then waits until the
instance has delivered all of them to its recorder.

Needs root and Debian's postfix. Usage: bench/notices.py MAILGROUP [N]"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "postfix"))
from instance import Postfix  # noqa: E402


def main():
    mailgroup = os.path.abspath(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    os.environ["PATH"] += ":/usr/sbin"
    postfix = Postfix()
    work = tempfile.mkdtemp(prefix="mailgroup-bench.")
    store = os.path.join(work, "store")
    postfix.write_config()
    postfix.start()
    try:
        subprocess.run([mailgroup, "--store", store, "init", "--domain",
                        "example.com", "--admin", "boss@example.com"], check=True)
        real = ["/usr/sbin/sendmail", "-C", postfix.config, "-t", "-oi"]
        for label, command in (("true", ["/bin/true"]), ("postfix sendmail", real)):
            path = os.path.join(store, "mailgroup.toml")
            with open(path) as f:
                text = f.read()
            quoted = ", ".join(json.dumps(arg) for arg in command)
            with open(path, "w") as f:
                f.write(re.sub(r"sendmail = \[[^\]]*\]", f"sendmail = [{quoted}]", text))
            group = f"{label.split()[0]}@example.com"
            subprocess.run([mailgroup, "--store", store, "create", group,
                            "--notify-members"], check=True)
            members = "".join(f"p{i}@people.example.net\n" for i in range(count))
            start = time.monotonic()
            subprocess.run([mailgroup, "--store", store, "member", "add", group, "-"],
                           input=members, text=True, check=True)
            seconds = time.monotonic() - start
            print(f"{label}: {count} notices in {seconds:.2f} s "
                  f"({count / seconds:.0f} a second)")
        start = time.monotonic()
        postfix.wait_until(lambda: len(postfix.recorder.received()) >= count, timeout=600)
        print(f"delivered by Postfix: {len(postfix.recorder.received())} "
              f"(the last {time.monotonic() - start:.1f} s after member add returned)")
    finally:
        postfix.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
