#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Loads the maps `mailgroup generate postfix` writes into a real, isolated
Postfix and sends mail through it over SMTP on 127.0.0.1: what arrives, what
is refused and what is held must be exactly what the store says."""

import email
import json
import os
import pwd
import re
import shutil
import smtplib
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from instance import Postfix  # noqa: E402

MAILGROUP = os.environ.get("MAILGROUP")
TABLE_TYPE = os.environ.get("TABLE_TYPE", "hash")
# maps: restriction classes in main.cf; policy: the mailgroup policy
# service, started by spawn(8) from master.cf.fragment.
MODE = os.environ.get("MODE", "maps")
POLICY = ["--policy"] if MODE == "policy" else []
passed = failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok - {name}")
    else:
        failed += 1
        print(f"FAIL - {name}: {detail}")


def skip(reason):
    print(f"SKIPPED: {reason}")
    print("*** the real-Postfix tests did NOT run ***", file=sys.stderr)
    sys.exit(125)


def mailgroup(*args, store):
    result = subprocess.run([MAILGROUP, "--store", store, *args],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"mailgroup {' '.join(args)}: {result.stderr}")
    return result


def run_mailgroup(*args, store):
    """mailgroup's exit status, stdout and stderr, whatever they are."""
    result = subprocess.run([MAILGROUP, "--store", store, *args],
                            capture_output=True, text=True)
    return result.returncode, result.stdout, result.stderr


def build_store(store):
    mailgroup("init", "--domain", "example.com", "--domain", "example.org",
              "--admin", "boss@example.com", store=store)
    mg = lambda *a: mailgroup(*a, store=store)  # noqa: E731
    mg("create", "sales@example.com", "--member", "a@people.example.net",
       "--member", "b@people.example.net")
    mg("create", "frozenteam@example.com", "--member", "x@people.example.net")
    mg("freeze", "frozenteam@example.com", "--reason", "gone")
    mg("create", "audteam@example.com", "--audit", "--auditor", "boss@example.com",
       "--member", "y@people.example.net")
    # Audited by someone else: delegated_held's second auditor.
    mg("create", "secret@example.com", "--audit", "--auditor", "spy@example.com",
       "--member", "z@people.example.net")
    mg("create", "all@example.com", "--permission", "anyone",
       "--member", "sales@example.com", "--member", "c@people.example.net",
       "--member", "frozenteam@example.com", "--member", "audteam@example.com")
    mg("create", "sub@example.com", "--member", "s1@people.example.net")
    mg("create", "team@example.com", "--permission", "members",
       "--member", "m1@people.example.net", "--member", "sub@example.com")
    mg("create", "wl@example.com", "--permission", "whitelist",
       "--member", "w@people.example.net")
    mg("whitelist", "add", "wl@example.com", "ok@vendor.example", "@partner.example")
    mg("create", "noauto@example.com", "--permission", "anyone",
       "--ignore-auto-replies", "--member", "n@people.example.net")
    mg("create", "Ops@Example.ORG", "--permission", "anyone",
       "--member", "o@people.example.net")
    # Sub-address groups with a policy of their own.
    mg("create", "frozenteam+urgent@example.com", "--permission", "anyone",
       "--member", "u@people.example.net")
    mg("create", "sales+open@example.com", "--permission", "anyone",
       "--member", "so@people.example.net")
    # require_login: the SASL login's address must be a member; its
    # members' logins may also send as the group.
    mg("create", "locked@example.com", "--permission", "members", "--require-login",
       "--members-may-send-as-group", "--member", "l1@people.example.net")
    # A member with a login, in a group whose members may not send as it.
    mg("create", "plain@example.com", "--permission", "members",
       "--member", "l1@people.example.net")
    # Refusal texts of their own: the same words in both modes.
    mg("create", "texted@example.com", "--permission", "members",
       "--member", "t@people.example.net",
       "--refusal-text", "Only members may post; write to owner@example.com")
    mg("create", "archived@example.com", "--member", "r@people.example.net",
       "--refusal-text", "This list is archived")
    mg("freeze", "archived@example.com")
    mg("create", "textlogin@example.com", "--permission", "members", "--require-login",
       "--member", "l1@people.example.net", "--refusal-text", "Members log in first")
    with open(os.path.join(store, "mailgroup.toml"), "a") as f:
        f.write("".join(f'"{login}" = "{address}"\n'
                        for login, (address, _) in SASL_USERS.items()))


# SASL logins and their [users] addresses: the sasldb holds l1 and outsider
# in the realm example.com (smtpd_sasl_local_domain), so Postfix names them
# l1@example.com and outsider@example.com.
SASL_USERS = {
    "l1@example.com": ("l1@people.example.net", "l1-secret"),
    "outsider@example.com": ("outsider@example.com", "out-secret"),
}


def main():
    if not MAILGROUP:
        sys.exit("set MAILGROUP to the mailgroup binary")
    if os.geteuid() != 0:
        skip("not root: an isolated Postfix instance needs root to start")
    for tool in ("postfix", "postmap", "postconf", "postqueue", "saslpasswd2"):
        if not any(os.access(os.path.join(d, tool), os.X_OK)
                   for d in os.environ.get("PATH", "").split(":") + ["/usr/sbin"]):
            skip(f"{tool} not installed (apt-get install postfix sasl2-bin)")
    os.environ["PATH"] += ":/usr/sbin"

    postfix = Postfix()
    work = tempfile.mkdtemp(prefix="mailgroup-store.")
    try:
        run(postfix, work)
    finally:
        log = postfix.read_log()
        postfix.stop()
        shutil.rmtree(work, ignore_errors=True)
        if failed:
            print("---- maillog ----\n" + log)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def run(postfix, work):
    store = os.path.join(work, "store")
    out = os.path.join(work, "maps")
    build_store(store)
    postfix.write_config(postfix.enable_sasl(
        {login.split("@")[0]: password for login, (_, password) in SASL_USERS.items()}))
    # spawn(8) runs the policy service as nobody, who must reach the index.
    os.chmod(work, 0o755)
    generate = [MAILGROUP, "--store", store, "generate", "postfix", "--output", out,
                "--postmap", "--table-type", TABLE_TYPE, "--postfix-config",
                postfix.config, *POLICY]
    result = subprocess.run(generate, capture_output=True, text=True)
    check("generate --postmap succeeds", result.returncode == 0, result.stderr)
    settings = [line for line in open(os.path.join(out, "main.cf.fragment")).read().splitlines()
                if line and not line.startswith("#")]
    postfix.postconf(*settings)
    if MODE == "policy":
        with open(os.path.join(out, "master.cf.fragment")) as f:
            service = [line for line in f if not line.startswith("#")]
        with open(os.path.join(postfix.config, "master.cf"), "a") as f:
            f.writelines(service)
    postfix.start()

    # Every entry of the tables is found by postmap -q, as written.
    for table in ("virtual", "recipient_access") if MODE == "maps" else ("virtual",):
        for line in open(os.path.join(out, table)):
            if line.startswith("#"):
                continue
            key, value = line.rstrip("\n").split("\t", 1)
            q = subprocess.run(["postmap", "-c", postfix.config, "-q", key,
                                f"{TABLE_TYPE}:{out}/{table}"],
                               capture_output=True, text=True)
            check(f"postmap -q {key} in {table}", q.stdout.rstrip("\n") == value,
                  f"got {q.stdout!r}, want {value!r}")

    def rcpt(sender, recipient):
        answers, _ = postfix.send(sender, [recipient])
        return answers[recipient]

    sent = []

    def accepted(name, sender, recipient):
        code, text = rcpt(sender, recipient)
        check(name, code == 250, f"{code} {text}")
        sent.append((sender, recipient))

    def refused(name, sender, recipient, code_want, text_want):
        # Postfix answers "5.7.1 <address>: Sender address rejected: TEXT".
        code, text = rcpt(sender, recipient)
        status, _, reason = text_want.partition(" ")
        check(name, code == code_want and text.startswith(status + " ")
              and text.endswith(reason), f"{code} {text}")

    # Sending permission: domain (the default).
    accepted("domain: a sender of the store's domain may post", "alice@example.com",
             "sales@example.com")
    accepted("domain: another store domain may post", "bob@example.org",
             "sales@example.com")
    refused("domain: an outside sender is refused", "eve@evil.example",
            "sales@example.com", 550, "5.7.1 Sender not allowed to post to this group")
    # Case and address extensions.
    accepted("an upper-case recipient reaches the group", "alice@example.com",
             "SALES@Example.COM")
    accepted("an address extension reaches the group", "alice@example.com",
             "sales+news@example.com")
    accepted("a group created in mixed case is reached", "eve@evil.example",
             "ops@example.org")
    # Frozen.
    refused("a frozen group answers 550 5.2.1", "alice@example.com",
            "frozenteam@example.com", 550, "5.2.1 Mailbox unavailable")
    refused("a frozen group with an extension answers 550 5.2.1", "alice@example.com",
            "frozenteam+x@example.com", 550, "5.2.1 Mailbox unavailable")
    # A sub-address group is its own group: Postfix must not fall back to
    # the base group's entry (it tries team@ when team+x@ has none).
    accepted("an open sub-address group takes an outside sender though its "
             "base group is frozen", "eve@evil.example",
             "frozenteam+urgent@example.com")
    accepted("an open sub-address group takes an outside sender though its "
             "base group is domain-only", "eve@evil.example",
             "sales+open@example.com")
    refused("the domain-only base group still refuses that sender",
            "eve@evil.example", "sales@example.com", 550,
            "5.7.1 Sender not allowed to post to this group")
    refused("an unknown address in a group domain is refused", "alice@example.com",
            "nobody@example.com", 550,
            "5.1.1 Recipient address rejected: User unknown in virtual alias table")
    # Members only, with a nested group's members counted as members.
    accepted("members: a member may post", "m1@people.example.net", "team@example.com")
    accepted("members: a nested group's member may post", "s1@people.example.net",
             "team@example.com")
    refused("members: a non-member of the store's domain is refused",
            "alice@example.com", "team@example.com", 550,
            "5.7.1 Sender not allowed to post to this group")
    accepted("members: a member's sub-address may post (access(5) tries it "
             "without its extension)", "m1+lists@people.example.net",
             "team@example.com")
    refused("members: a sub-address of any length is the group's",
            "eve@evil.example", "team+" + "x" * 260 + "@example.com", 550,
            "5.7.1 Sender not allowed to post to this group")
    refused("members: the percent hack reaches the group, and its check",
            "eve@evil.example", "team%example.com@[127.0.0.1]", 550,
            "5.7.1 Sender not allowed to post to this group")
    refused("whitelist: a bare domain as the sender is not the listed domain",
            "partner.example", "wl@example.com", 550,
            "5.7.1 Sender not allowed to post to this group")
    # Whitelist.
    accepted("whitelist: a listed address may post", "ok@vendor.example", "wl@example.com")
    accepted("whitelist: a listed domain may post", "bob@partner.example", "wl@example.com")
    accepted("whitelist: a subdomain of a listed domain may post (Postfix default)",
             "bob@eu.partner.example", "wl@example.com")
    refused("whitelist: an unlisted address of a listed address's domain is refused",
            "other@vendor.example", "wl@example.com", 550,
            "5.7.1 Sender not allowed to post to this group")
    refused("whitelist: even the store's own domain is refused", "alice@example.com",
            "wl@example.com", 550,
            "5.7.1 Sender not allowed to post to this group")
    # Auto-replies.
    refused("ignore auto-replies: the null sender is refused", "", "noauto@example.com",
            550, "5.7.1 This group does not accept automatic replies")
    accepted("ignore auto-replies: a real sender gets through", "eve@evil.example",
             "noauto@example.com")
    accepted("anyone: the null sender may post without ignore-auto-replies", "",
             "all@example.com")

    require_login_cases(postfix, out)
    refusal_text_cases(postfix)
    sender_login_cases(postfix)

    # What arrives: expansion, nesting, case, extensions.
    def delivered_to(sender, recipient_sets):
        return lambda: all(
            any(m[0] == sender and m[1] == sorted(rs) for m in postfix.recorder.received())
            for rs in recipient_sets)

    postfix.send("carol@example.com", ["all@example.com"],
                 "Subject: to all\r\n\r\nhello all\r\n")
    got_all = postfix.wait_until(delivered_to("carol@example.com", [
        ["a@people.example.net", "b@people.example.net", "c@people.example.net"]]))
    msgs = [m for m in postfix.recorder.received() if "hello all" in m[2]]
    check("a parent group reaches its members and its nested group's members",
          got_all and len(msgs) == 1, f"{msgs}")
    check("a frozen or audited group nested in a parent is not reached through it",
          all("x@people.example.net" not in m[1] and "y@people.example.net" not in m[1]
              for m in msgs), f"{msgs}")

    postfix.send("dave@example.com", ["sales+news@example.com"],
                 "Subject: ext\r\n\r\nwith extension\r\n")
    postfix.wait_until(lambda: any("with extension" in m[2]
                                   for m in postfix.recorder.received()))
    msgs = [m for m in postfix.recorder.received() if "with extension" in m[2]]
    check("an extension is carried to the members (propagate_unmatched_extensions)",
          len(msgs) == 1 and msgs[0][1] == ["a+news@people.example.net",
                                            "b+news@people.example.net"], f"{msgs}")

    postfix.send("eve@evil.example", ["frozenteam+urgent@example.com"],
                 "Subject: urgent\r\n\r\nto the sub-address group\r\n")
    postfix.wait_until(lambda: any("to the sub-address group" in m[2]
                                   for m in postfix.recorder.received()))
    msgs = [m for m in postfix.recorder.received()
            if "to the sub-address group" in m[2]]
    check("a sub-address group's mail reaches its own members only",
          len(msgs) == 1 and msgs[0][1] == ["u@people.example.net"], f"{msgs}")

    # Email audit: held, not delivered.
    answers, data = postfix.send("alice@example.com", ["audteam@example.com"],
                                 "Subject: audit me\r\n\r\nneeds approval\r\n")
    check("an audited group accepts the message",
          answers["audteam@example.com"][0] == 250 and data and data[0] == 250,
          f"{answers} {data}")
    held = postfix.wait_until(lambda: any(e.get("queue_name") == "hold"
                                          for e in postfix.queue_entries()))
    entries = postfix.queue_entries()
    check("the audited group's message sits in the hold queue", held and any(
        e["queue_name"] == "hold" and e["sender"] == "alice@example.com"
        and [r["address"] for r in e["recipients"]] == ["y@people.example.net"]
        for e in entries), f"{entries}")
    postfix.flush()
    time.sleep(2)
    check("the held message was not delivered",
          not any("needs approval" in m[2] for m in postfix.recorder.received()),
          f"{postfix.recorder.received()}")

    # HOLD acts on the whole message: a co-recipient waits with it.
    answers, data = postfix.send("alice@example.com",
                                 ["audteam@example.com", "sales@example.com"],
                                 "Subject: both\r\n\r\nheld together\r\n")
    both = postfix.wait_until(lambda: any(
        e["queue_name"] == "hold" and len(e["recipients"]) == 3
        for e in postfix.queue_entries()))
    check("HOLD holds every recipient of the message (documented)", both,
          f"{postfix.queue_entries()}")
    time.sleep(1)
    check("no recipient of a held message got it",
          not any("held together" in m[2] for m in postfix.recorder.received()),
          f"{postfix.recorder.received()}")

    # An audited group with a sender it does not allow: refused, not held.
    refused("an audited group still checks the sending permission",
            "eve@evil.example", "audteam@example.com", 550,
            "5.7.1 Sender not allowed to post to this group")

    # Every accepted single-recipient probe above was RSET or delivered; the
    # SMTP dialogue itself must not have queued anything else but the hold.
    postfix.flush()
    ok = postfix.wait_until(lambda: all(e["queue_name"] == "hold"
                                        for e in postfix.queue_entries()), timeout=20)
    check("nothing but the held message is left in the queue", ok,
          f"{postfix.queue_entries()}")

    # Postfix reading the databases leaves them as built: still current.
    status, _, err = run_mailgroup(
        "generate", "postfix", "--output", out, "--check", "--postmap",
        "--table-type", TABLE_TYPE, "--postfix-config", postfix.config, *POLICY,
        store=store)
    check("the databases Postfix read are still current (--check --postmap)",
          (status, err) == (0, ""), f"{status} {err}")

    if MODE == "policy":
        policy_workflow(postfix, store, generate, refused, accepted)
    held_workflow(postfix, store)
    delegated_held(postfix, store, work)
    notify_workflow(postfix, store)
    live_changes(postfix, store, out)


def require_login_cases(postfix, out):
    """require_login on the real Postfix: the SASL login decides, not the
    envelope sender; exact SMTP answers."""
    member = "l1@people.example.net"

    def answer(sender, recipient, login=None, body=None):
        kwargs = {"login": login} if login else {}
        if body:
            kwargs["body"] = body
        answers, data = postfix.send(sender, [recipient], **kwargs)
        return answers[recipient], data

    refusal = "5.7.1 <locked@example.com>: Recipient address rejected: {}"
    got, _ = answer(member, "locked@example.com")
    check("require_login: a member's address without a login is refused",
          got == (550, refusal.format("Authentication required to post to this group")),
          f"{got}")
    got, _ = answer("eve@evil.example", "locked@example.com")
    check("require_login: an outside sender without a login is refused the same",
          got == (550, refusal.format("Authentication required to post to this group")),
          f"{got}")
    got, data = answer(member, "locked@example.com", ("l1@example.com", "l1-secret"),
                       "Subject: logged in\r\n\r\nwith a login\r\n")
    check("require_login: the member's SASL login is accepted",
          got[0] == 250 and data and data[0] == 250, f"{got} {data}")
    delivered = postfix.wait_until(lambda: any(
        "with a login" in m[2] and m[1] == [member] for m in postfix.recorder.received()))
    check("require_login: ... and the message is delivered to the members", delivered,
          f"{postfix.recorder.received()}")
    got, _ = answer("someone@example.com", "locked@example.com", ("l1@example.com", "l1-secret"))
    check("require_login: the login decides, whatever the envelope sender",
          got[0] == 250, f"{got}")
    got, _ = answer(member, "locked@example.com",
                    ("outsider@example.com", "out-secret"))
    # Postfix names what check_sasl_access refused: the login (maps); the
    # policy service's answer is a recipient's.
    not_allowed = ("5.7.1 <outsider@example.com>: SASL login name rejected: "
                   "Login not allowed to post to this group" if MODE == "maps"
                   else refusal.format("Login not allowed to post to this group"))
    check("require_login: a non-member's valid login is refused",
          got == (550, not_allowed), f"{got}")
    # A group without require_login: the envelope sender, as before.
    got, _ = answer("alice@example.com", "team@example.com", ("l1@example.com", "l1-secret"))
    # The maps refuse in check_sender_access (naming the sender), the
    # policy service as a recipient check.
    want = ("5.7.1 <alice@example.com>: Sender address rejected: " if MODE == "maps"
            else "5.7.1 <team@example.com>: Recipient address rejected: ")
    check("without require_login a login changes nothing: a non-member sender is "
          "refused", got == (550, want + "Sender not allowed to post to this group"),
          f"{got}")
    got, _ = answer("m1@people.example.net", "team@example.com",
                    ("outsider@example.com", "out-secret"))
    check("without require_login a member sender is accepted whoever logged in",
          got[0] == 250, f"{got}")
    # smtpd_sender_login_maps, as Postfix reads it.
    for key, want in (("locked@example.com", "l1@example.com"), (member, "l1@example.com"),
                      ("outsider@example.com", "outsider@example.com")):
        q = subprocess.run(["postmap", "-c", postfix.config, "-q", key,
                            f"{TABLE_TYPE}:{out}/sender_logins"],
                           capture_output=True, text=True)
        check(f"sender_logins: {key} is owned by {want}", q.stdout == want + "\n",
              f"{q.stdout!r} {q.stderr!r}")


def refusal_text_cases(postfix):
    """A group's own refusal text, exactly as the client reads it: the maps
    and the policy service give the same words (the maps name the sender
    where check_sender_access or check_sasl_access refused, the service
    always the recipient)."""
    def answer(sender, recipient, login=None):
        kwargs = {"login": login} if login else {}
        answers, _ = postfix.send(sender, [recipient], **kwargs)
        return answers[recipient]

    text = "Only members may post; write to owner@example.com"
    got = answer("eve@evil.example", "texted@example.com")
    want = (550, f"5.7.1 <eve@evil.example>: Sender address rejected: {text}"
            if MODE == "maps" else
            f"5.7.1 <texted@example.com>: Recipient address rejected: {text}")
    check("refusal text: a refused sender reads the group's own text", got == want,
          f"{got}, want {want}")
    got = answer("eve@evil.example", "texted+x@example.com")
    want = (550, f"5.7.1 <eve@evil.example>: Sender address rejected: {text}"
            if MODE == "maps" else
            f"5.7.1 <texted+x@example.com>: Recipient address rejected: {text}")
    check("refusal text: ... also at a sub-address", got == want, f"{got}, want {want}")
    got = answer("t@people.example.net", "texted@example.com")
    check("refusal text: a member still posts", got[0] == 250, f"{got}")
    got = answer("alice@example.com", "archived@example.com")
    want = (550, "5.2.1 <archived@example.com>: Recipient address rejected: "
            "This list is archived")
    check("refusal text: a frozen group answers 5.2.1 with its text", got == want,
          f"{got}, want {want}")
    got = answer("l1@people.example.net", "textlogin@example.com",
                 ("outsider@example.com", "out-secret"))
    want = (550, "5.7.1 <outsider@example.com>: SASL login name rejected: "
            "Members log in first" if MODE == "maps" else
            "5.7.1 <textlogin@example.com>: Recipient address rejected: "
            "Members log in first")
    check("refusal text: a login that may not post reads the group's text",
          got == want, f"{got}, want {want}")
    got = answer("l1@people.example.net", "textlogin@example.com")
    want = (550, "5.7.1 <textlogin@example.com>: Recipient address rejected: "
            "Authentication required to post to this group")
    check("refusal text: ... but no login still reads what to do", got == want,
          f"{got}, want {want}")


def sender_login_cases(postfix):
    """smtpd_sender_login_maps from main.cf.fragment (applied by run) with
    reject_sender_login_mismatch, as main.cf.fragment and mailgroup(1) say
    to add it: a logged-in member cannot forge another person's envelope
    sender, and sends as a group only where members_may_send_as_group is
    set. Exact SMTP replies at RCPT TO (smtpd_delay_reject)."""
    postfix.postconf("smtpd_sender_restrictions = reject_sender_login_mismatch")
    postfix.reload()
    l1 = ("l1@example.com", "l1-secret")
    outsider = ("outsider@example.com", "out-secret")
    # ops@example.org takes anyone: only the sender restriction decides.
    cases = [
        ("a member forging another person's envelope sender is refused", l1,
         "outsider@example.com",
         (553, "5.7.1 <outsider@example.com>: Sender address rejected: "
               "not owned by user l1@example.com")),
        ("a member forging an address no login owns is refused", l1,
         "ceo@example.com",
         (553, "5.7.1 <ceo@example.com>: Sender address rejected: "
               "not owned by user l1@example.com")),
        ("a member sends as their own address", l1, "l1@people.example.net",
         (250, "2.1.5 Ok")),
        ("a client not logged in cannot use a member's address", None,
         "l1@people.example.net",
         (553, "5.7.1 <l1@people.example.net>: Sender address rejected: "
               "not logged in")),
        ("members_may_send_as_group: a member sends as the group", l1,
         "locked@example.com", (250, "2.1.5 Ok")),
        ("without members_may_send_as_group a member may not send as the group",
         l1, "plain@example.com",
         (553, "5.7.1 <plain@example.com>: Sender address rejected: "
               "not owned by user l1@example.com")),
        ("a non-member may not send as a members_may_send_as_group group",
         outsider, "locked@example.com",
         (553, "5.7.1 <locked@example.com>: Sender address rejected: "
               "not owned by user outsider@example.com")),
    ]
    try:
        for name, login, sender, want in cases:
            kwargs = {"login": login} if login else {}
            answers, _ = postfix.send(sender, ["ops@example.org"], **kwargs)
            got = answers["ops@example.org"]
            check(f"sender login: {name}", got == want, f"{got}, want {want}")
    finally:
        subprocess.run(["postconf", "-c", postfix.config, "-X",
                        "smtpd_sender_restrictions"], check=True)
        postfix.reload()


def policy_workflow(postfix, store, generate, refused, accepted):
    """What the policy mode is for: groups change without a reload; and it
    fails closed."""
    out = generate[generate.index("--output") + 1]
    mailgroup("create", "fresh@example.com", "--permission", "members",
              "--member", "f@people.example.net", store=store)
    result = subprocess.run(generate, capture_output=True, text=True)
    check("generate --policy after a create succeeds", result.returncode == 0,
          result.stderr)
    accepted("a group created and generated takes mail at once, no reload",
             "f@people.example.net", "fresh@example.com")
    refused("... and applies its permission at once", "alice@example.com",
            "fresh@example.com", 550, "5.7.1 Sender not allowed to post to this group")
    postfix.send("f@people.example.net", ["fresh@example.com"],
                 "Subject: fresh\r\n\r\nto the new group\r\n")
    got = postfix.wait_until(lambda: any(
        "to the new group" in m[2] and m[1] == ["f@people.example.net"]
        for m in postfix.recorder.received()))
    check("the new group's mail reaches its member", got,
          f"{postfix.recorder.received()}")
    mailgroup("set", "fresh@example.com", "--permission", "anyone", store=store)
    subprocess.run(generate, capture_output=True, text=True)
    accepted("a changed permission applies at once", "alice@example.com",
             "fresh@example.com")

    index = os.path.join(out, "policy.index")
    with open(index + ".damaged", "wb") as f:
        f.write(open(index, "rb").read()[:-1])
    os.rename(index + ".damaged", index)
    refused("a damaged index: 451 4.3.0, never let through", "alice@example.com",
            "sales@example.com", 451, "4.3.0 Group policy unavailable, try again later")
    refused("... for every recipient", "eve@evil.example", "ops@example.org", 451,
            "4.3.0 Group policy unavailable, try again later")
    result = subprocess.run(generate, capture_output=True, text=True)
    check("generate repairs the index", result.returncode == 0
          and "policy.index: changed" in result.stderr, result.stderr)
    accepted("the repaired index is used at once", "alice@example.com",
             "sales@example.com")


def held_workflow(postfix, store):
    """held list/release/drop against the two messages held above."""
    pc = ["--postfix-config", postfix.config]
    status, out, err = run_mailgroup("held", "list", *pc, "--format", "json",
                                     store=store)
    listed = json.loads(out) if status == 0 else []
    check("held list shows the two held messages for the audited group",
          sorted(m["subject"] for m in listed) == ["audit me", "both"]
          and all(m["groups"] == ["audteam@example.com"]
                  and m["auditors"] == ["boss@example.com"]
                  and m["sender"] == "alice@example.com" for m in listed),
          f"{status} {out} {err}")
    if len(listed) != 2:
        return
    by_subject = {m["subject"]: m for m in listed}
    audit_id, both_id = by_subject["audit me"]["id"], by_subject["both"]["id"]
    check("held list counts the expanded recipients",
          by_subject["both"]["recipients"] == 3, f"{listed}")
    status, out, err = run_mailgroup("held", "list", *pc, "sales@example.com",
                                     store=store)
    check("held list for a group that is not audited: nothing",
          (status, out) == (0, ""), f"{status} {out} {err}")
    status, out, err = run_mailgroup("held", "list", *pc, "--as",
                                     "y@people.example.net", store=store)
    check("held list --as someone who audits nothing: nothing",
          (status, out) == (0, ""), f"{status} {out} {err}")

    status, out, err = run_mailgroup("held", "release", audit_id, *pc, "--as",
                                     "y@people.example.net", store=store)
    check("only an auditor may release (exit 77, exact message)",
          status == 77 and err == f"mailgroup: error: root (uid 0) as y@people.example.net may "
          f"not release {audit_id}: it was sent to audteam@example.com, and only "
          "who audits it may (boss@example.com)\n", f"{status} {err}")
    status, out, err = run_mailgroup("held", "drop", "ALL", *pc, "--as",
                                     "boss@example.com", store=store)
    check("an ID that is not a held message for an audited group is refused "
          "(never passed to postsuper)",
          status == 67 and err == 'mailgroup: error: no held message "ALL" for '
          "an audited group; 'mailgroup held list' shows them\n", f"{status} {err}")
    check("refusals left both messages on hold",
          sum(e["queue_name"] == "hold" for e in postfix.queue_entries()) == 2,
          f"{postfix.queue_entries()}")

    status, out, err = run_mailgroup("held", "release", audit_id, *pc, "--as",
                                     "boss@example.com", store=store)
    check("the auditor releases a message", (status, out, err) == (0, "", ""),
          f"{status} {out} {err}")
    delivered = postfix.wait_until(lambda: any(
        "needs approval" in m[2] and m[1] == ["y@people.example.net"]
        for m in postfix.recorder.received()))
    check("the released message reaches the group's members", delivered,
          f"{postfix.recorder.received()}")

    status, out, err = run_mailgroup("held", "drop", both_id, *pc, "--as",
                                     "boss@example.com", store=store)
    check("the auditor drops a message", (status, out, err) == (0, "", ""),
          f"{status} {out} {err}")
    gone = postfix.wait_until(lambda: postfix.queue_entries() == [])
    postfix.flush()
    time.sleep(1)
    check("the dropped message is gone and was never delivered",
          gone and not any("held together" in m[2]
                           for m in postfix.recorder.received()),
          f"{postfix.queue_entries()} {postfix.recorder.received()}")
    status, out, err = run_mailgroup("held", "list", *pc, store=store)
    check("nothing is held any more", (status, out) == (0, ""), f"{status} {out} {err}")
    status, out, err = run_mailgroup("log", "audteam@example.com", store=store)
    check("release and drop are in the change log",
          f'"held release" audteam@example.com: released {audit_id} from '
          "alice@example.com: audit me" in out
          and f'"held drop" audteam@example.com: dropped {both_id} from '
          "alice@example.com: both" in out, out)


def delegated_held(postfix, store, work):
    """Auditors as real unprivileged users through sudo (the shipped rule,
    examples/setup-delegation.sh), Postfix named by [postfix]
    config_directory: each sees and releases only the mail of the groups
    they audit."""
    source = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if not shutil.which("sudo") or not shutil.which("useradd"):
        check("sudo and useradd are installed (.ci/install-deps)", False)
        return
    suffix = str(os.getpid())
    admins = f"mgp-admins-{suffix}"
    logins = {name: f"mgp-{name}-{suffix}" for name in ("aud", "spy")}
    sudoers = f"/etc/sudoers.d/mailgroup-test-{suffix}"
    binary = os.path.join(work, "bin", "mailgroup")
    try:
        subprocess.run(["groupadd", admins], check=True)
        for login in logins.values():
            subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin",
                            "--groups", admins, login], check=True)
        os.makedirs(os.path.dirname(binary), mode=0o755)
        shutil.copy(MAILGROUP, binary)
        os.chmod(binary, 0o755)
        config = os.path.join(store, "mailgroup.toml")
        with open(config) as f:
            text = f.read()
        users = "".join(f'"{logins[n]}" = "{n}@example.com"\n' for n in logins)
        if "\n[postfix]\n" in text:
            text = text.replace("\n[postfix]\n", f'\n[postfix]\nconfig_directory = '
                                f'"{postfix.config}"\n', 1)
        else:
            text = text.replace("\n[users]\n", f'\n[postfix]\nconfig_directory = '
                                f'"{postfix.config}"\n\n[users]\n', 1)
        with open(config, "w") as f:
            f.write(text.rstrip("\n") + "\n" + users)
        mailgroup("set", "audteam@example.com", "--auditor", "boss@example.com",
                  "--auditor", "aud@example.com", store=store)
        setup = subprocess.run(
            [os.path.join(source, "examples", "setup-delegation.sh"), store],
            capture_output=True, text=True,
            env={**os.environ, "SUDOERS_FILE": sudoers, "MAILGROUP_BIN": binary,
                 "ADMINS_GROUP": admins})
        check("setup-delegation.sh installs the rule", setup.returncode == 0,
              setup.stdout + setup.stderr)

        def as_user(name, *args):
            r = subprocess.run(["runuser", "-u", logins[name], "--", "sudo", "-n", binary,
                                "--store", store, *args], capture_output=True, text=True,
                               cwd="/")
            return r.returncode, r.stdout, r.stderr

        for subject, rcpts in (("for audteam", ["audteam@example.com"]),
                               ("for secret", ["secret@example.com"]),
                               ("for both", ["audteam@example.com", "secret@example.com"])):
            postfix.send("alice@example.com", rcpts,
                         f"Subject: {subject}\r\n\r\n{subject} body\r\n")
        held = postfix.wait_until(lambda: sum(e["queue_name"] == "hold"
                                              for e in postfix.queue_entries()) == 3)
        check("three new messages are held", held, f"{postfix.queue_entries()}")
        status, out, err = run_mailgroup("held", "list", "--format", "json", store=store)
        ids = {m["subject"]: m["id"] for m in json.loads(out)} if status == 0 else {}
        if sorted(ids) != ["for audteam", "for both", "for secret"]:
            check("root lists the three held messages", False, f"{status} {out} {err}")
            return

        def listed(name):
            status, out, err = as_user(name, "held", "list", "--format", "json")
            return status, sorted(m["subject"] for m in json.loads(out)) if status == 0 else err

        check("an auditor through sudo lists only the mail of the groups they audit "
              "(not mail also sent to a group they do not audit)",
              listed("aud") == (0, ["for audteam"]), f"{listed('aud')}")
        check("the other auditor lists only theirs", listed("spy") == (0, ["for secret"]),
              f"{listed('spy')}")
        uid = {n: pwd.getpwnam(logins[n]).pw_uid for n in logins}
        spy = f"{logins['spy']} (uid {uid['spy']}) as spy@example.com"
        for verb in ("release", "drop"):
            status, out, err = as_user("spy", "held", verb, ids["for audteam"])
            check(f"an auditor of another group may not {verb} it (exit 77, exact message)",
                  (status, out, err) == (77, "", f"mailgroup: error: {spy} may not {verb} "
                                         f"{ids['for audteam']}: it was sent to "
                                         "audteam@example.com, and only who audits it may "
                                         "(aud@example.com, boss@example.com)\n"),
                  f"{status} {out} {err}")
        status, out, err = as_user("aud", "held", "release", ids["for both"])
        check("an auditor of one of two audited groups may not release (exit 77)",
              status == 77 and err.endswith("it was sent to audteam@example.com, "
                                            "secret@example.com, and only who audits all of "
                                            "them may (nobody does: ask the postmaster)\n"),
              f"{status} {out} {err}")
        status, out, err = as_user("aud", "held", "list", "--postfix-config", "/tmp/x")
        check("--postfix-config is refused through sudo", status == 77
              and "may not name files or directories through sudo" in err, f"{status} {err}")
        check("the refusals left all three on hold",
              sum(e["queue_name"] == "hold" for e in postfix.queue_entries()) == 3,
              f"{postfix.queue_entries()}")

        status, out, err = as_user("aud", "held", "release", ids["for audteam"])
        check("the auditor releases their group's message through sudo",
              (status, out, err) == (0, "", ""), f"{status} {out} {err}")
        delivered = postfix.wait_until(lambda: any(
            "for audteam body" in m[2] and m[1] == ["y@people.example.net"]
            for m in postfix.recorder.received()))
        check("the released message reaches the members", delivered,
              f"{postfix.recorder.received()}")
        status, out, err = as_user("spy", "held", "drop", ids["for secret"])
        check("the other auditor drops theirs", (status, out, err) == (0, "", ""),
              f"{status} {out} {err}")
        status, out, err = run_mailgroup("held", "drop", ids["for both"], store=store)
        check("root drops the message nobody audits alone", (status, err) == (0, ""),
              f"{status} {err}")
        check("nothing is held any more",
              postfix.wait_until(lambda: postfix.queue_entries() == []),
              f"{postfix.queue_entries()}")
        status, out, err = run_mailgroup("log", "--format", "json", store=store)
        entries = [(e["actor"], e.get("login"), e.get("uid"), e["command"])
                   for e in json.loads(out) if e["command"].startswith("held ")]
        # root's drop is logged for each of the message's groups.
        check("the log names each auditor's login and uid",
              entries[2:] == [("aud@example.com", logins["aud"], uid["aud"], "held release"),
                              ("spy@example.com", logins["spy"], uid["spy"], "held drop"),
                              ("root", "root", 0, "held drop"),
                              ("root", "root", 0, "held drop")], f"{entries}")
    finally:
        if os.path.exists(sudoers):
            os.unlink(sudoers)
        for login in logins.values():
            subprocess.run(["userdel", login], capture_output=True)
        subprocess.run(["groupdel", admins], capture_output=True)


def set_sendmail(store, command):
    path = os.path.join(store, "mailgroup.toml")
    with open(path) as f:
        text = f.read()
    quoted = ", ".join(json.dumps(arg) for arg in command)
    text = re.sub(r"sendmail = \[[^\]]*\]", f"sendmail = [{quoted}]", text)
    with open(path, "w") as f:
        f.write(text)


def notify_workflow(postfix, store):
    """Welcome notices through the test instance's own sendmail(1)."""
    sendmail = "/usr/sbin/sendmail"
    # A sendmail that cannot reach Postfix: the membership stands, the
    # notice waits.
    set_sendmail(store, [sendmail, "-C", "/nonexistent", "-t", "-oi"])
    status, out, err = run_mailgroup(
        "create", "welcome@example.com", "--notify-members", "--permission",
        "anyone", "--name", "Welcome team – Europe", "--member",
        "newbie@people.example.net", store=store)
    check("a failed send is a warning; the group is created",
          status == 0 and "could not send the welcome notice for "
          "welcome@example.com to newbie@people.example.net" in err
          and "1 notice kept in the outbox" in err, f"{status} {err}")
    status, out, err = run_mailgroup("outbox", "list", store=store)
    check("the notice waits in the outbox",
          status == 0 and "\twelcome@example.com\tnewbie@people.example.net\twelcome notice\t1\t" in out,
          f"{status} {out} {err}")
    set_sendmail(store, [sendmail, "-C", postfix.config, "-t", "-oi"])
    status, out, err = run_mailgroup("outbox", "flush", store=store)
    check("outbox flush sends it", (status, out, err) == (0, "", ""),
          f"{status} {out} {err}")
    status, out, err = run_mailgroup("member", "add", "welcome@example.com",
                                     "second@people.example.net", store=store)
    check("member add sends a notice at once", (status, out, err) == (0, "", ""),
          f"{status} {out} {err}")

    def notices():
        return [m for m in postfix.recorder.received()
                if "Subject: You are now a member of welcome@example.com" in m[2]]
    postfix.wait_until(lambda: len(notices()) == 2)
    got = notices()
    check("each new member gets one notice through Postfix",
          sorted(r for m in got for r in m[1]) ==
          ["newbie@people.example.net", "second@people.example.net"], f"{got}")
    parsed = [email.message_from_string(m[2]) for m in got]
    bodies = [" ".join(p.get_payload(decode=True).decode("utf-8").split())
              for p in parsed]
    check("the notice is from [notify] from, automatic, and names the group "
          "in UTF-8 (whatever transfer encoding Postfix chose)",
          len(parsed) == 2
          and all(p["From"] == "postmaster@example.com"
                  and p["Auto-Submitted"] == "auto-generated" for p in parsed)
          and all(b.startswith("You are now a member of the mail group Welcome "
                               "team – Europe <welcome@example.com>.") for b in bodies),
          f"{got}")
    status, out, err = run_mailgroup("outbox", "list", store=store)
    check("the outbox is empty", (status, out) == (0, ""), f"{status} {out} {err}")

    # A leave request reaches the group's administrator the same way.
    run_mailgroup("create", "council@example.com", "--leave-approval",
                  "--permission", "anyone", "--admin", "chief@people.example.net",
                  "--member", "quitter@people.example.net", store=store)
    status, out, err = run_mailgroup("member", "leave", "council@example.com",
                                     "quitter@people.example.net", "--as",
                                     "quitter@people.example.net", store=store)
    check("member leave records a request", status == 0 and out == "1\n",
          f"{status} {out} {err}")

    def requests():
        return [m for m in postfix.recorder.received()
                if "asks to leave council@example.com" in m[2]]
    postfix.wait_until(lambda: len(requests()) == 1)
    got = requests()
    check("the administrator is told of the request through Postfix",
          len(got) == 1 and got[0][1] == ["chief@people.example.net"]
          and "mailgroup request approve 1" in got[0][2], f"{got}")


def probe(postfix, sender, recipient):
    """RCPT TO's answer for one envelope, then RSET: nothing is queued."""
    with smtplib.SMTP("127.0.0.1", postfix.smtp_port, timeout=30) as smtp:
        smtp.ehlo("client.example.net")
        smtp.mail(sender)
        code, text = smtp.rcpt(recipient)
        smtp.rset()
    return code, text.decode()


def live_changes(postfix, store, out):
    """--apply makes new groups reachable with no manual step; membership
    changes published while mail flows never give an allowed sender a 4xx
    and never let a refused one in."""
    gen = ["generate", "postfix", "--output", out, "--table-type", TABLE_TYPE,
           "--postfix-config", postfix.config]
    mg = lambda *a: run_mailgroup(*a, store=store)  # noqa: E731
    mg("create", "quiet@example.com", "--permission", "members",
       "--member", "q@people.example.net",
       "--refusal-text", "Members only; ask owner@example.com")
    mg("create", "arch@example.com", "--member", "r@people.example.net",
       "--refusal-text", "This list is archived")
    mg("freeze", "arch@example.com")
    mg("create", "live@example.com", "--permission", "members",
       "--member", "stay@people.example.net")
    status, _, err = mg(*gen, "--apply")
    check("--apply declares the new classes and reloads Postfix",
          status == 0 and "Postfix reloaded" in err, f"{status} {err}")
    code, text = probe(postfix, "q@people.example.net", "quiet@example.com")
    check("--apply: a new members-only group takes its member at once",
          code == 250, f"{code} {text}")
    code, text = probe(postfix, "eve@evil.example", "quiet@example.com")
    check("a refused sender gets 550 5.7.1 and the group's text",
          code == 550 and text.startswith("5.7.1 ")
          and text.endswith("Members only; ask owner@example.com"), f"{code} {text}")
    code, text = probe(postfix, "alice@example.com", "arch@example.com")
    check("a frozen group answers 550 5.2.1 with its text",
          code == 550 and text.startswith("5.2.1 ")
          and text.endswith("This list is archived"), f"{code} {text}")
    status, _, err = mg(*gen, "--apply")
    check("--apply again: nothing to do, nothing said", (status, err) == (0, ""),
          f"{status} {err}")

    # A client sends all along (bounded) while members come and go and
    # generate --postmap publishes each change.

    answers = []  # (allowed, code, text)
    stop = threading.Event()

    def client():
        for i in range(4000):  # bounded; stops when the changes end
            if stop.is_set():
                break
            allowed = i % 2 == 0
            sender = "stay@people.example.net" if allowed else "eve@evil.example"
            try:
                code, text = probe(postfix, sender, "live@example.com")
            except Exception as e:  # noqa: BLE001
                code, text = 0, str(e)
            answers.append((allowed, code, text))

    thread = threading.Thread(target=client)
    thread.start()
    changes = 0
    main_cf_untouched = True
    applied = True
    for round_ in range(12):
        who = f"churn{round_}@people.example.net"
        mg("member", "add", "live@example.com", who)
        status, _, err = mg(*gen, "--postmap")
        main_cf_untouched &= status == 0 and "main.cf" not in err
        if round_ % 2:
            mg("member", "remove", "live@example.com", who)
            status, _, err = mg(*gen, "--postmap")
            main_cf_untouched &= status == 0 and "main.cf" not in err
        changes += 1
        # Groups added and removed meanwhile: --apply changes main.cf and
        # reloads Postfix under the flow.
        if round_ == 4:
            mg("create", "extra@example.com", "--permission", "members",
               "--member", "x@people.example.net")
            status, _, err = mg(*gen, "--apply")
            applied &= status == 0 and "Postfix reloaded" in err
        if round_ == 8:
            mg("delete", "extra@example.com")
            status, _, err = mg(*gen, "--apply")
            applied &= status == 0 and "1 old class removed" in err
        time.sleep(0.3)
    stop.set()
    thread.join()
    check("live change: --apply added and removed a group meanwhile", applied)
    allowed_bad = [a for a in answers if a[0] and a[1] != 250]
    refused_in = [a for a in answers if not a[0] and a[1] == 250]
    refused_other = [a for a in answers if not a[0] and a[1] != 550]
    check(f"live change: membership changes touch no main.cf ({changes} rounds)",
          main_cf_untouched)
    check(f"live change: {sum(a[0] for a in answers)} sends from a member, "
          "zero 4xx or 5xx", answers and not allowed_bad, f"{allowed_bad[:5]}")
    check(f"live change: {sum(not a[0] for a in answers)} sends from an outsider, "
          "zero accepted, each 550", not refused_in and not refused_other,
          f"{(refused_in + refused_other)[:5]}")
    code, text = probe(postfix, "churn10@people.example.net", "live@example.com")
    check("a member added while mail flowed may post", code == 250, f"{code} {text}")
    code, text = probe(postfix, "churn11@people.example.net", "live@example.com")
    check("a member removed while mail flowed is refused", code == 550,
          f"{code} {text}")

    # A group removed: --apply drops its class, then its table.
    table = None
    for name in os.listdir(os.path.join(out, "senders")):
        if "." not in name and "q@people" in open(os.path.join(out, "senders", name)).read():
            table = name
    mg("delete", "quiet@example.com")
    status, _, err = mg(*gen, "--apply")
    check("--apply removes the old class and then its table",
          status == 0 and "1 old class removed, Postfix reloaded" in err
          and table and not os.path.exists(os.path.join(out, "senders", table)),
          f"{status} {err} {table}")
    code, text = probe(postfix, "stay@people.example.net", "live@example.com")
    check("after the class is gone the other groups still answer", code == 250,
          f"{code} {text}")


if __name__ == "__main__":
    main()
