# SPDX-License-Identifier: GPL-3.0-or-later
"""An isolated, throw-away Postfix instance on 127.0.0.1 for the tests.

Everything lives in one temporary directory: configuration, queue, data and
log. smtpd listens on a free loopback port; every message leaves through the
smtp client to a recorder (a small SMTP server in this process, also on
loopback), so what Postfix delivered can be checked exactly. Nothing is
installed system-wide and nothing runs after stop().
"""

import json
import os
import shutil
import smtplib
import socket
import socketserver
import subprocess
import tempfile
import threading
import time

POSTFIX_FILES = ["postfix-files", "dynamicmaps.cf"]
POSTFIX_DIRS = ["postfix-files.d", "dynamicmaps.cf.d"]


# Postfix's own services, as master.cf lists them (bench/smtpd_startup.py
# starts its instances with them too).
INTERNAL_SERVICES = [
    "pickup unix n - n 60 1 pickup",
    "cleanup unix n - n - 0 cleanup",
    "qmgr unix n - n 300 1 qmgr",
    "rewrite unix - - n - - trivial-rewrite",
    "bounce unix - - n - 0 bounce",
    "defer unix - - n - 0 bounce",
    "trace unix - - n - 0 bounce",
    "verify unix - - n - 1 verify",
    "flush unix n - n 1000? 0 flush",
    "proxymap unix - - n - - proxymap",
    "smtp unix - - n - - smtp",
    "relay unix - - n - - smtp",
    "showq unix n - n - - showq",
    "error unix - - n - - error",
    "retry unix - - n - - error",
    "discard unix - - n - - discard",
    "local unix - n n - - local",
    "anvil unix - - n - 1 anvil",
    "scache unix - - n - 1 scache",
    "postlog unix-dgram n - n - 1 postlogd",
]


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder(socketserver.ThreadingTCPServer):
    """A minimal SMTP server that keeps every transaction it receives."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port):
        self.messages = []  # (sender, [recipients], data)
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", port), RecorderHandler)

    def received(self):
        with self.lock:
            return list(self.messages)


class RecorderHandler(socketserver.StreamRequestHandler):
    def reply(self, text):
        self.wfile.write((text + "\r\n").encode())
        self.wfile.flush()

    def handle(self):
        self.reply("220 recorder ESMTP")
        sender, recipients = None, []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode(errors="replace").rstrip("\r\n")
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 recorder")
            elif verb == "MAIL":
                sender = command.split(":", 1)[1].strip().split()[0].strip("<>")
                recipients = []
                self.reply("250 ok")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go ahead")
                data = []
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk in (b".\r\n", b".\n"):
                        break
                    data.append(chunk.decode(errors="replace"))
                with self.server.lock:
                    self.server.messages.append((sender, sorted(recipients), "".join(data)))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


class Postfix:
    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="mailgroup-postfix.")
        # Postfix's daemons drop to the postfix user: let it reach its queue.
        os.chmod(self.root, 0o755)
        self.config = os.path.join(self.root, "config")
        self.queue = os.path.join(self.root, "queue")
        self.data = os.path.join(self.root, "data")
        self.log = os.path.join(self.root, "maillog")
        for d in (self.config, self.queue, self.data):
            os.makedirs(d)
        shutil.chown(self.data, "postfix")
        self.smtp_port = free_port()
        self.recorder_port = free_port()
        self.recorder = None
        self.started = False

    def write_config(self, extra_main_cf=""):
        for name in POSTFIX_FILES:
            shutil.copy(os.path.join("/etc/postfix", name), self.config)
        for name in POSTFIX_DIRS:
            src = os.path.join("/etc/postfix", name)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(self.config, name))
        main_cf = f"""
compatibility_level = 3.6
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
virtual_alias_domains = example.com example.org
relayhost = [127.0.0.1]:{self.recorder_port}
smtp_tls_security_level = none
smtpd_tls_security_level = none
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_helo_required = no
recipient_delimiter = +
biff = no
disable_dns_lookups = yes
smtp_dns_support_level = disabled
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
delay_warning_time = 0
{extra_main_cf}
"""
        with open(os.path.join(self.config, "main.cf"), "w") as f:
            f.write(main_cf)
        services = [
            f"127.0.0.1:{self.smtp_port} inet n - n - - smtpd",
            *INTERNAL_SERVICES,
        ]
        with open(os.path.join(self.config, "master.cf"), "w") as f:
            f.write("\n".join(services) + "\n")

    def enable_sasl(self, accounts, realm="example.com"):
        """Cyrus SASL from a sasldb of its own ({login: password}): the
        main.cf lines for write_config. smtpd runs as postfix, which must
        read the database."""
        # Debian's Postfix reads $config_directory/sasl/smtpd.conf whatever
        # cyrus_sasl_config_path says; it is set to the same for others.
        sasl = os.path.join(self.config, "sasl")
        os.makedirs(sasl)
        db = os.path.join(sasl, "sasldb2")
        with open(os.path.join(sasl, "smtpd.conf"), "w") as f:
            f.write(f"pwcheck_method: auxprop\nauxprop_plugin: sasldb\n"
                    f"sasldb_path: {db}\nmech_list: PLAIN LOGIN\n")
        for login, password in accounts.items():
            subprocess.run(["saslpasswd2", "-p", "-c", "-f", db, "-u", realm, login],
                           input=password, text=True, check=True)
        shutil.chown(db, "postfix")
        os.chmod(db, 0o600)
        os.chmod(sasl, 0o755)
        return (f"smtpd_sasl_auth_enable = yes\nsmtpd_sasl_type = cyrus\n"
                f"cyrus_sasl_config_path = {sasl}\nsmtpd_sasl_path = smtpd\n"
                f"smtpd_sasl_local_domain = {realm}\n"
                f"smtpd_sasl_security_options = noanonymous\n")

    def postconf(self, *settings):
        subprocess.run(["postconf", "-c", self.config, "-e", *settings], check=True)

    def start(self):
        self.recorder = Recorder(self.recorder_port)
        threading.Thread(target=self.recorder.serve_forever, daemon=True).start()
        result = subprocess.run(["postfix", "-c", self.config, "start"],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError("postfix start failed: " + result.stdout + result.stderr
                               + self.read_log())
        self.started = True
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.smtp_port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("smtpd did not come up:\n" + self.read_log())

    def reload(self):
        subprocess.run(["postfix", "-c", self.config, "reload"], check=True,
                       capture_output=True)
        time.sleep(1)

    def stop(self):
        try:
            if self.started:
                subprocess.run(["postfix", "-c", self.config, "abort"],
                               capture_output=True, timeout=30)
        finally:
            self.started = False
            pid_file = os.path.join(self.queue, "pid", "master.pid")
            if os.path.exists(pid_file):
                try:
                    os.kill(int(open(pid_file).read().strip()), 9)
                except (OSError, ValueError):
                    pass
            if self.recorder:
                self.recorder.shutdown()
                self.recorder.server_close()
            shutil.rmtree(self.root, ignore_errors=True)

    def read_log(self):
        try:
            with open(self.log) as f:
                return f.read()
        except OSError:
            return ""

    def send(self, sender, recipients, body="Subject: test\r\n\r\nhello\r\n",
             login=None):
        """Sends one message; returns {recipient: (code, text)} for RCPT TO,
        and (code, text) of DATA (None if no recipient was accepted).
        `login` is (user, password) to log in with SASL first."""
        answers = {}
        with smtplib.SMTP("127.0.0.1", self.smtp_port, timeout=30) as smtp:
            smtp.ehlo("client.example.net")
            if login:
                smtp.login(*login)
            code, text = smtp.mail(sender)
            if code != 250:
                raise RuntimeError(f"MAIL FROM:<{sender}> answered {code} {text}")
            for rcpt in recipients:
                code, text = smtp.rcpt(rcpt)
                answers[rcpt] = (code, text.decode())
            data = None
            if any(code in (250, 251) for code, _ in answers.values()):
                code, text = smtp.data(body)
                data = (code, text.decode())
            else:
                smtp.rset()
        return answers, data

    def queue_entries(self):
        result = subprocess.run(["postqueue", "-c", self.config, "-j"],
                                capture_output=True, text=True, check=True)
        return [json.loads(line) for line in result.stdout.splitlines() if line]

    def flush(self):
        subprocess.run(["postqueue", "-c", self.config, "-f"], capture_output=True)

    def wait_until(self, predicate, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if predicate():
                return True
            time.sleep(0.2)
        return predicate()
