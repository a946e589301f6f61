#!/usr/bin/env bash
# whitelist add/remove/list with addresses and @domains.
source "$(dirname "$0")/common.sh"
new_store
run create team@example.com --permission whitelist
expect_ok
run whitelist add team@example.com Partner@Vendor.example '@Partner.Example'
expect_ok
run whitelist add team@example.com @partner.example
expect_exit 0
expect_stderr "mailgroup: note: @partner.example is already on the whitelist of team@example.com"
run whitelist list team@example.com
expect_ok
expect_stdout '@partner.example
partner@vendor.example'
run whitelist list team@example.com --format json
expect_stdout '{
  "address": "team@example.com",
  "whitelist": [
    "@partner.example",
    "partner@vendor.example"
  ]
}'
run whitelist add team@example.com '@bad domain'
expect_exit 65
expect_stderr 'mailgroup: error: invalid sender domain "@bad domain": contains whitespace'
run whitelist add team@example.com '@'
expect_exit 65
expect_stderr 'mailgroup: error: invalid sender domain "@": has an empty domain'
run whitelist remove team@example.com @partner.example nobody@x.example
expect_exit 0
expect_stderr "mailgroup: note: nobody@x.example is not on the whitelist of team@example.com"
run whitelist list team@example.com
expect_stdout 'partner@vendor.example'
finish
