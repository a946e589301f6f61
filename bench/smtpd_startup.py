#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""smtpd start time and memory: restriction classes (maps) against the policy
service, on a real, isolated Postfix on 127.0.0.1.

  bench/smtpd_startup.py MAILGROUP WORK [--runs 5] [--reuse]
      [--modes hash,lmdb,policy,socket,none]

WORK holds a synced benchmark store (bench/generate.py WORK --members-third,
then `mailgroup --store WORK/store sync --force`). For each mode it writes
the output from scratch (`generate postfix --postmap`, timed: wall, CPU,
peak RSS), starts a Postfix of its own in WORK/postfix-MODE with the
fragment applied (`postconf -c DIR -e`; in policy mode master.cf.fragment
appended), and opens RUNS connections, each served by a new smtpd process
(`-o max_use=1`: an smtpd exits after one client, and the script waits for
it to be gone before the next connection; the PIDs are checked to differ).
Per connection: connect to 220 greeting, the RCPT TO round trip for a
members-only group from one of its members (the first RCPT the process
answers), VmRSS and VmHWM of the smtpd serving it (found through its
socket's inode) and, in policy mode, of the policy process spawn(8) runs
for it. Mode `socket` answers the policy index with one `mailgroup policy
--socket` (as nobody) for every smtpd instead of spawn's one per smtpd.
Mode `none` is Postfix without any mailgroup setting: the floor.
Then Postfix is stopped and the log searched for processes killed by a
signal, warnings and fatal errors. Needs root (Postfix, spawn as nobody);
network only on loopback. Results: a table on stdout, JSON in
WORK/smtpd_startup-MODE.json.
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "postfix"))
from instance import INTERNAL_SERVICES  # noqa: E402

POSTFIX_FILES = ["postfix-files", "dynamicmaps.cf"]
POSTFIX_DIRS = ["postfix-files.d", "dynamicmaps.cf.d"]


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status(pid):
    """{'VmRSS': kB, 'VmHWM': kB, 'PPid': n, 'Name': s} or None when gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            text = f.read()
    except OSError:
        return None
    out = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        value = value.strip()
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
        elif key == "PPid":
            out[key] = int(value)
        elif key == "Name":
            out[key] = value
    return out


def cpu_ms(pid):
    """User + system CPU time of a process so far, in ms (clock ticks)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def processes():
    """{pid: status} of every process."""
    result = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            status = proc_status(int(name))
            if status:
                result[int(name)] = status
    return result


def descendants(root):
    """{pid: status} of the processes under root (not root itself)."""
    table = processes()
    children = {}
    for pid, status in table.items():
        children.setdefault(status.get("PPid"), []).append(pid)
    out, todo = {}, [root]
    while todo:
        for pid in children.get(todo.pop(), []):
            out[pid] = table[pid]
            todo.append(pid)
    return out


def socket_inode(local_port, remote_port):
    """The inode of the accepted socket 127.0.0.1:local_port <- :remote_port."""
    want_local = f"0100007F:{local_port:04X}"
    want_remote = f"0100007F:{remote_port:04X}"
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            fields = line.split()
            if fields[1] == want_local and fields[2] == want_remote and fields[9] != "0":
                return fields[9]
    return None


def owner_of_socket(inode, candidates):
    target = f"socket:[{inode}]"
    for pid in candidates:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    if os.readlink(f"/proc/{pid}/fd/{fd}") == target:
                        return pid
                except OSError:
                    pass
        except OSError:
            pass
    return None


def listening(port):
    want = f"0100007F:{port:04X}"
    with open("/proc/net/tcp") as f:
        next(f)
        return any(line.split()[1] == want and line.split()[3] == "0A" for line in f)


class Instance:
    """An isolated Postfix (the approach of tests/postfix/instance.py): its
    own config, queue and data directories and log, smtpd on a free
    loopback port, nothing delivered."""

    def __init__(self, root):
        shutil.rmtree(root, ignore_errors=True)
        self.root = root
        self.config = os.path.join(root, "config")
        self.queue = os.path.join(root, "queue")
        self.data = os.path.join(root, "data")
        self.log = os.path.join(root, "maillog")
        for d in (self.config, self.queue, self.data):
            os.makedirs(d)
        os.chmod(root, 0o755)
        shutil.chown(self.data, "postfix")
        self.port = free_port()
        self.master = None
        self.long_settings = []

    def write_config(self):
        for name in POSTFIX_FILES:
            shutil.copy(os.path.join("/etc/postfix", name), self.config)
        for name in POSTFIX_DIRS:
            src = os.path.join("/etc/postfix", name)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(self.config, name))
        main_cf = f"""compatibility_level = 3.6
queue_directory = {self.queue}
data_directory = {self.data}
meta_directory = {self.config}
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = {self.log}
maillog_file_prefixes = {self.root}
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.example.com
mydomain = example.com
myorigin = example.com
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
mynetworks = 127.0.0.0/8
relay_domains =
virtual_alias_domains = lists.example.com
smtp_tls_security_level = none
smtpd_tls_security_level = none
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_helo_required = no
biff = no
disable_dns_lookups = yes
smtp_dns_support_level = disabled
"""
        with open(os.path.join(self.config, "main.cf"), "w") as f:
            f.write(main_cf)
        services = [
            # max_use=1: each connection is served by a new smtpd process.
            f"127.0.0.1:{self.port} inet n - n - - smtpd -o max_use=1",
            *INTERNAL_SERVICES,
        ]
        with open(os.path.join(self.config, "master.cf"), "w") as f:
            f.write("\n".join(services) + "\n")

    def apply(self, out, policy):
        with open(os.path.join(out, "main.cf.fragment")) as f:
            settings = [line for line in f.read().splitlines()
                        if line and not line.startswith("#")]
        # postconf -e takes the settings as arguments, and Linux refuses an
        # argument over 128 KiB (MAX_ARG_STRLEN: E2BIG). At 20,000 groups
        # smtpd_restriction_classes is one 340 KB line, so a setting that
        # long is written into main.cf directly (none of these is in the
        # base main.cf, so appending it is what postconf -e would do).
        short = [line for line in settings if len(line) < 100_000]
        long = [line for line in settings if len(line) >= 100_000]
        for i in range(0, len(short), 500):
            subprocess.run(["postconf", "-c", self.config, "-e", *short[i:i + 500]],
                           check=True)
        if long:
            with open(os.path.join(self.config, "main.cf"), "a") as f:
                f.writelines(line + "\n" for line in long)
        self.long_settings = [line.split(" ", 1)[0] for line in long]
        if policy:
            with open(os.path.join(out, "master.cf.fragment")) as f:
                service = [line for line in f if not line.startswith("#")]
            with open(os.path.join(self.config, "master.cf"), "a") as f:
                f.writelines(service)

    def start(self):
        """Returns the seconds from `postfix start` to the listening socket."""
        began = time.perf_counter()
        result = subprocess.run(["postfix", "-c", self.config, "start"],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError("postfix start failed: " + result.stdout + result.stderr)
        pid_file = os.path.join(self.queue, "pid", "master.pid")
        deadline = time.time() + 30
        # Wait for the listening socket without connecting (a connection
        # would start an smtpd).
        while time.time() < deadline:
            if os.path.exists(pid_file) and listening(self.port):
                self.master = int(open(pid_file).read().strip())
                return time.perf_counter() - began
            time.sleep(0.05)
        raise RuntimeError("Postfix did not come up:\n" + self.read_log())

    def stop(self):
        if self.master is None:
            return
        subprocess.run(["postfix", "-c", self.config, "stop"], capture_output=True,
                       timeout=60)
        deadline = time.time() + 30
        while time.time() < deadline and proc_status(self.master):
            time.sleep(0.1)
        if proc_status(self.master):
            subprocess.run(["postfix", "-c", self.config, "abort"], capture_output=True)
            time.sleep(1)
            if proc_status(self.master):
                os.kill(self.master, 9)
        self.master = None

    def smtpds(self):
        return {pid: s for pid, s in descendants(self.master).items()
                if s.get("Name") == "smtpd"}

    def read_log(self):
        try:
            with open(self.log, errors="replace") as f:
                return f.read()
        except OSError:
            return ""


def reply(f):
    """One SMTP reply (multi-line too): (code, text)."""
    lines = []
    while True:
        line = f.readline()
        if not line:
            raise RuntimeError("connection closed: " + " | ".join(lines))
        line = line.decode(errors="replace").rstrip("\r\n")
        lines.append(line)
        if len(line) < 4 or line[3] != "-":
            return int(line[:3]), line


def one_connection(instance, sender, recipient, policy, seen, daemon=None, want_ok=True):
    # The previous smtpd (max_use=1) must be gone: this connection needs a
    # new process.
    deadline = time.time() + 30
    while instance.smtpds() and time.time() < deadline:
        time.sleep(0.02)
    if instance.smtpds():
        raise RuntimeError(f"an smtpd is still running: {instance.smtpds()}")
    run = {"load": os.getloadavg()[0]}
    t0 = time.perf_counter()
    s = socket.create_connection(("127.0.0.1", instance.port), timeout=120)
    f = s.makefile("rb")
    code, text = reply(f)
    t220 = time.perf_counter()
    run["connect_220_ms"] = (t220 - t0) * 1000
    if code != 220:
        raise RuntimeError(f"greeting: {text}")
    inode = socket_inode(instance.port, s.getsockname()[1])
    pid = owner_of_socket(inode, instance.smtpds()) if inode else None
    if pid is None:
        raise RuntimeError("no smtpd holds the connection")
    if pid in seen:
        raise RuntimeError(f"smtpd {pid} served an earlier run")
    seen.add(pid)
    run["smtpd_pid"] = pid
    run["smtpd_rss_220_kb"] = proc_status(pid)["VmRSS"]
    # The CPU the process took to start: steadier than the wall time on a
    # shared machine.
    run["smtpd_cpu_220_ms"] = cpu_ms(pid)

    def command(line):
        s.sendall(line.encode() + b"\r\n")
        return reply(f)

    command("EHLO client.example.net")
    code, text = command(f"MAIL FROM:<{sender}>")
    if code != 250:
        raise RuntimeError(f"MAIL FROM: {text}")
    t1 = time.perf_counter()
    code, text = command(f"RCPT TO:<{recipient}>")
    t2 = time.perf_counter()
    run["rcpt_ms"] = (t2 - t1) * 1000
    run["connect_rcpt_ms"] = (t2 - t0) * 1000
    run["rcpt_answer"] = text
    if want_ok and code != 250:
        raise RuntimeError(f"RCPT TO: {text}")
    # The same again on this connection: the process is warm now.
    t3 = time.perf_counter()
    command(f"RCPT TO:<{recipient}>")
    run["rcpt2_ms"] = (time.perf_counter() - t3) * 1000
    status = proc_status(pid)
    run["smtpd_rss_kb"] = status["VmRSS"]
    run["smtpd_hwm_kb"] = status["VmHWM"]
    if daemon:
        ppid = daemon  # one service for every smtpd: not new each run
    elif policy:
        services = [(p, st) for p, st in descendants(instance.master).items()
                    if st.get("Name") == "mailgroup"]
        if len(services) != 1:
            raise RuntimeError(f"policy processes: {services}")
        ppid, _ = services[0]
        if ppid in seen:
            raise RuntimeError(f"policy process {ppid} served an earlier run")
        seen.add(ppid)
    if policy or daemon:
        st = proc_status(ppid)
        run["policy_pid"] = ppid
        run["policy_rss_kb"] = st["VmRSS"]
        run["policy_hwm_kb"] = st["VmHWM"]
        run["policy_cpu_ms"] = cpu_ms(ppid)
    command("QUIT")
    s.close()
    return run


def pick_pair(store):
    """A members-only group (the first, by name, with at least 100 members)
    and its first member."""
    groups = os.path.join(store, "groups")
    for name in sorted(os.listdir(groups)):
        with open(os.path.join(groups, name)) as f:
            if 'permission = "members"' not in f.read():
                continue
        address = name[:-len(".toml")]
        path = os.path.join(store, "resolved", address + ".members")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            members = [line.strip() for line in f if "@" in line and not line.startswith("#")]
        if len(members) >= 100:
            return members[0], address, len(members)
    raise RuntimeError("no members-only group with 100 members")


def generate(mailgroup, store, out, config, mode):
    shutil.rmtree(out, ignore_errors=True)
    argv = [mailgroup, "--store", store, "generate", "postfix", "--output", out,
            "--postmap", "--postfix-config", config]
    argv += ["--policy"] if mode == "policy" else ["--table-type", mode]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    err = proc.stderr.read()
    # wait4's usage covers the children it waited for (postmap) too.
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    result = subprocess.CompletedProcess(argv, proc.returncode, "", err)
    if result.returncode != 0:
        raise RuntimeError(f"generate: {result.stderr}")
    fragment = open(os.path.join(out, "main.cf.fragment")).read()
    match = re.search(r"^smtpd_restriction_classes = (.*)$", fragment, re.M)
    classes = len(match.group(1).split(", ")) if match else 0
    return {"argv": argv, "wall_s": wall, "user_s": usage.ru_utime,
            "sys_s": usage.ru_stime, "peak_rss_mib": usage.ru_maxrss / 1024, "classes": classes,
            "main_cf_bytes": len(fragment), "stderr": result.stderr.strip()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mailgroup")
    parser.add_argument("work")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--modes", default="hash,lmdb,policy,socket,none")
    parser.add_argument("--reuse", action="store_true",
                        help="keep WORK/out-MODE from an earlier run (and its generate timing)")
    args = parser.parse_args()
    mailgroup = os.path.abspath(args.mailgroup)
    work = os.path.abspath(args.work)
    store = os.path.join(work, "store")
    # Postfix runs as postfix and spawn's service as nobody: both read WORK.
    os.chmod(work, 0o755)
    sender, recipient, size = pick_pair(store)
    print(f"# {recipient} ({size} members, members-only), sender {sender}", flush=True)
    print(f"# {os.cpu_count()} CPUs, load {os.getloadavg()}", flush=True)
    rows = []
    for mode in args.modes.split(","):
        instance = Instance(os.path.join(work, f"postfix-{mode}"))
        instance.write_config()
        gen = None
        print(f"# {mode}", flush=True)
        # socket: policy mode's output, answered by one `mailgroup policy
        # --socket` started here instead of one process per smtpd by spawn.
        kind = "policy" if mode == "socket" else mode
        if mode != "none":
            out = os.path.join(work, f"out-{kind}")
            saved = os.path.join(work, f"out-{kind}.generate.json")
            if args.reuse and os.path.exists(saved):
                gen = json.load(open(saved))
                print(f"# {mode}: output of an earlier run", flush=True)
            else:
                print(f"# {mode}: generate ...", flush=True)
                gen = generate(mailgroup, store, out, instance.config, kind)
                with open(saved, "w") as f:
                    json.dump(gen, f, indent=1)
            print(f"# {mode}: generate {gen['wall_s']:.1f} s wall, "
                  f"{gen['user_s']:.1f} s user, {gen['sys_s']:.1f} s sys, "
                  f"{gen['peak_rss_mib']:.0f} MiB; "
                  f"{gen['classes']} classes", flush=True)
            instance.apply(out, mode == "policy")
        runs, seen, started, daemon = [], set(), None, None
        try:
            if mode == "socket":
                # The service runs as nobody (as spawn runs it), in a
                # directory of its own; smtpd (postfix) connects to it.
                sockdir = os.path.join(instance.root, "policy")
                os.makedirs(sockdir)
                shutil.chown(sockdir, "nobody")
                sock = os.path.join(sockdir, "policy.sock")
                daemon = subprocess.Popen(
                    ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                     mailgroup, "policy", "--index", os.path.join(out, "policy.index"),
                     "--socket", sock, "--log", "stderr"],
                    stderr=open(os.path.join(instance.root, "policy.log"), "w"))
                deadline = time.time() + 30
                while not os.path.exists(sock) and time.time() < deadline:
                    if daemon.poll() is not None:
                        raise RuntimeError("mailgroup policy --socket exited: see "
                                           + os.path.join(instance.root, "policy.log"))
                    time.sleep(0.05)
                os.chmod(sock, 0o666)
                subprocess.run(["postconf", "-c", instance.config, "-e",
                                "smtpd_recipient_restrictions = reject_non_fqdn_recipient, "
                                f"check_policy_service unix:{sock}"], check=True)
            started = instance.start()
            print(f"#   postfix start: {started:.2f} s", flush=True)
            for _ in range(args.runs):
                runs.append(one_connection(instance, sender, recipient,
                                           mode == "policy", seen,
                                           daemon.pid if daemon else None,
                                           want_ok=mode != "none"))
                r = runs[-1]
                print(f"#   220 {r['connect_220_ms']:.1f} ms (CPU {r['smtpd_cpu_220_ms']:.0f}), RCPT {r['rcpt_ms']:.1f} ms "
                      f"(again {r['rcpt2_ms']:.1f}) "
                      f"({r['rcpt_answer'][:40]}), smtpd {r['smtpd_hwm_kb'] / 1024:.1f} MiB"
                      + (f", policy {r['policy_hwm_kb'] / 1024:.1f} MiB, CPU {r['policy_cpu_ms']:.0f} ms" if "policy_hwm_kb" in r
                         else "") + f", load {r['load']:.2f}", flush=True)
        finally:
            instance.stop()
            if daemon:
                daemon.terminate()
                daemon.wait(timeout=30)
        log = instance.read_log()
        trouble = [line for line in log.splitlines()
                   if re.search(r"killed by signal|warning:|fatal:|panic:|error:", line)]
        row = {"mode": mode, "generate": gen, "postfix_start_s": started, "runs": runs, "log_trouble": trouble,
               "written_into_main_cf": instance.long_settings}
        if instance.long_settings:
            print(f"#   too long for postconf -e, appended to main.cf: "
                  f"{', '.join(instance.long_settings)}", flush=True)
        with open(os.path.join(work, f"smtpd_startup-{mode}.json"), "w") as f:
            json.dump(row, f, indent=1)
        for line in trouble[:20]:
            print(f"#   log: {line}", flush=True)
        rows.append(row)

    def med(row, key):
        return statistics.median(r[key] for r in row["runs"])

    print("\n| mode | classes | connect→220 (smtpd CPU) | first RCPT answer (again) | smtpd RSS (VmHWM) "
          "| policy RSS | generate wall / CPU / peak RSS | postfix start |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        g = row["generate"]
        policy = (f"{med(row, 'policy_hwm_kb') / 1024:.0f} MiB"
                  if row["runs"] and "policy_hwm_kb" in row["runs"][0] else "—")
        gen = (f"{g['wall_s']:.1f} s / {g['user_s'] + g['sys_s']:.1f} s / "
               f"{g['peak_rss_mib']:.0f} MiB" if g else "—")
        if policy != "—":
            policy += f" ({med(row, 'policy_cpu_ms'):.0f} ms CPU)"
        print(f"| {row['mode']} | {g['classes'] if g else 0} | {med(row, 'connect_220_ms'):.0f} ms "
              f"({med(row, 'smtpd_cpu_220_ms'):.0f} ms) "
              f"| {med(row, 'rcpt_ms'):.1f} ms ({med(row, 'rcpt2_ms'):.1f} ms) "
              f"| {med(row, 'smtpd_hwm_kb') / 1024:.0f} MiB "
              f"| {policy} | {gen} | {row['postfix_start_s']:.2f} s |")


if __name__ == "__main__":
    sys.exit(main())
