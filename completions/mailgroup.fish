# fish completion for mailgroup(1)
# SPDX-License-Identifier: GPL-3.0-or-later

function __mailgroup_groups
    set -l store
    set -l tokens (commandline -opc)
    for i in (seq (count $tokens))
        if test "$tokens[$i]" = --store; and test $i -lt (count $tokens)
            set store --store $tokens[(math $i + 1)]
        end
    end
    mailgroup $store list 2>/dev/null
end

set -l commands init check create set delete list show freeze unfreeze member whitelist eval sync generate export log request outbox held policy
complete -c mailgroup -f
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -l store -r -a '(__fish_complete_directories)' -d 'Store directory'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -l wait -r -d 'Seconds to wait for the lock'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -l version -d 'Version'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -l help-all -d 'Help for every command'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a init -d 'Create a store'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a check -d 'Validate the store'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a create -d 'Create a group'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a set -d "Change a group's settings"
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a delete -d 'Delete groups'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a list -d 'List the groups'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a show -d 'Show a group'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a freeze -d 'Refuse mail to a group'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a unfreeze -d 'Accept mail again'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a member -d 'Members'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a whitelist -d 'Allowed senders'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a eval -d 'Evaluate department groups'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a sync -d 'Refresh department groups'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a generate -d 'Write mail server maps'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a export -d 'Export contacts'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a log -d 'The change log'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a request -d 'Leave requests'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a outbox -d 'Welcome notices not sent yet'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a held -d 'Held mail for auditors'
complete -c mailgroup -n "not __fish_seen_subcommand_from $commands" -a policy -d 'The Postfix policy service'
complete -c mailgroup -n "__fish_seen_subcommand_from request; and not __fish_seen_subcommand_from list approve deny" -a 'list approve deny'
complete -c mailgroup -n "__fish_seen_subcommand_from request; and __fish_seen_subcommand_from list" -a '(__mailgroup_groups)'
complete -c mailgroup -n "__fish_seen_subcommand_from outbox; and not __fish_seen_subcommand_from list flush" -a 'list flush'
complete -c mailgroup -n "__fish_seen_subcommand_from held; and not __fish_seen_subcommand_from list release drop" -a 'list release drop'
complete -c mailgroup -n "__fish_seen_subcommand_from held; and __fish_seen_subcommand_from list" -a '(__mailgroup_groups)'
complete -c mailgroup -n "__fish_seen_subcommand_from held" -l postfix-config -r -a '(__fish_complete_directories)' -d 'Postfix configuration directory'
complete -c mailgroup -n "__fish_seen_subcommand_from leave approve deny held" -l as -x -d 'Act as this address'
complete -c mailgroup -n "__fish_seen_subcommand_from leave deny" -l reason -x -d 'Why'
complete -c mailgroup -n "__fish_seen_subcommand_from create add sync leave" -l no-notify -d 'Send no notice'
complete -c mailgroup -n "__fish_seen_subcommand_from request outbox held; and __fish_seen_subcommand_from list" -l format -x -a 'text json' -d 'Output format'
complete -c mailgroup -n "__fish_seen_subcommand_from log" -a '(__mailgroup_groups)'
complete -c mailgroup -n "__fish_seen_subcommand_from log" -l since -x -d 'From this date'
complete -c mailgroup -n "__fish_seen_subcommand_from log" -l format -x -a 'text json' -d 'Output format'
complete -c mailgroup -n "__fish_seen_subcommand_from export; and not __fish_seen_subcommand_from contacts" -a contacts
complete -c mailgroup -n "__fish_seen_subcommand_from export" -l format -x -a 'vcard ldif csv' -d 'Format'
complete -c mailgroup -n "__fish_seen_subcommand_from export" -l base-dn -x -d 'LDIF base DN'

complete -c mailgroup -n "__fish_seen_subcommand_from set delete show freeze unfreeze eval" -a '(__mailgroup_groups)'
complete -c mailgroup -n "__fish_seen_subcommand_from member; and not __fish_seen_subcommand_from add remove leave list" -a 'add remove leave list'
complete -c mailgroup -n "__fish_seen_subcommand_from whitelist; and not __fish_seen_subcommand_from add remove list" -a 'add remove list'
complete -c mailgroup -n "__fish_seen_subcommand_from member whitelist; and __fish_seen_subcommand_from add remove leave list" -a '(__mailgroup_groups)'
complete -c mailgroup -n "__fish_seen_subcommand_from generate; and not __fish_seen_subcommand_from postfix" -a postfix

complete -c mailgroup -n "__fish_seen_subcommand_from create set init" -l permission -x -a 'domain members anyone whitelist' -d 'Who may send'
complete -c mailgroup -n "__fish_seen_subcommand_from check list show eval member whitelist; and not __fish_seen_subcommand_from export" -l format -x -a 'text json csv' -d 'Output format'
complete -c mailgroup -n "__fish_seen_subcommand_from generate" -l table-type -x -a 'hash lmdb cdb' -d 'Table type'
complete -c mailgroup -n "__fish_seen_subcommand_from generate" -s o -l output -r -a '(__fish_complete_directories)' -d 'Output directory'
complete -c mailgroup -n "__fish_seen_subcommand_from generate" -l check -d 'Exit 1 if out of date'
complete -c mailgroup -n "__fish_seen_subcommand_from generate" -l postmap -d 'Build the tables'
complete -c mailgroup -n "__fish_seen_subcommand_from generate" -l apply -d 'Apply main.cf.fragment and reload'
complete -c mailgroup -n "__fish_seen_subcommand_from generate" -l map-dir -r -d 'Where Postfix reads the tables'
complete -c mailgroup -n "__fish_seen_subcommand_from generate" -l postfix-config -r -d 'postmap -c'
complete -c mailgroup -n "__fish_seen_subcommand_from generate" -l expansion-limit -x -d 'Warn above'
complete -c mailgroup -n "__fish_seen_subcommand_from init" -l domain -x -d 'Local domain'
complete -c mailgroup -n "__fish_seen_subcommand_from init create set" -l admin -x -d 'Administrator'
complete -c mailgroup -n "__fish_seen_subcommand_from create set" -l name -x -d 'Display name'
complete -c mailgroup -n "__fish_seen_subcommand_from create set" -l description -x -d 'Description'
complete -c mailgroup -n "__fish_seen_subcommand_from create set" -l audit -d 'Hold mail for an auditor'
complete -c mailgroup -n "__fish_seen_subcommand_from create set" -l no-audit -d 'No email audit'
complete -c mailgroup -n "__fish_seen_subcommand_from create set" -l auditor -x -d 'Auditor'
complete -c mailgroup -n "__fish_seen_subcommand_from create set" -l shown -d 'Show in contacts'
complete -c mailgroup -n "__fish_seen_subcommand_from create set" -l hidden -d 'Hide from contacts'
complete -c mailgroup -n "__fish_seen_subcommand_from create set" -l notify-members -d 'Notify new members'
complete -c mailgroup -n "__fish_seen_subcommand_from create set" -l no-notify-members -d 'Do not notify new members'
complete -c mailgroup -n "__fish_seen_subcommand_from create set" -l leave-approval -d 'Leaving needs approval'
complete -c mailgroup -n "__fish_seen_subcommand_from create set" -l no-leave-approval -d 'Leaving needs no approval'
complete -c mailgroup -n "__fish_seen_subcommand_from create set" -l ignore-auto-replies -d 'Refuse automatic replies'
complete -c mailgroup -n "__fish_seen_subcommand_from create set" -l no-ignore-auto-replies -d 'Accept automatic replies'
complete -c mailgroup -n "__fish_seen_subcommand_from create set" -l department -x -d 'Department path'
complete -c mailgroup -n "__fish_seen_subcommand_from create set" -l include-subdepartments -d 'Include sub-departments'
complete -c mailgroup -n "__fish_seen_subcommand_from create set" -l no-include-subdepartments -d 'This department only'
complete -c mailgroup -n "__fish_seen_subcommand_from create set" -l where -x -d 'Condition (mailgroup-rules(7))'
complete -c mailgroup -n "__fish_seen_subcommand_from create set" -l exclude -x -d 'Never a member'
complete -c mailgroup -n "__fish_seen_subcommand_from set" -l unexclude -x -d 'Take off the exclude list'
complete -c mailgroup -n "__fish_seen_subcommand_from set" -l static -d 'Make it static'
complete -c mailgroup -n "__fish_seen_subcommand_from create" -l member -x -d 'Member'
complete -c mailgroup -n "__fish_seen_subcommand_from create" -l from -r -F -d 'Create the groups defined in FILE'
complete -c mailgroup -n "__fish_seen_subcommand_from create" -l from-format -x -a 'toml jsonl' -d 'Format of --from'
complete -c mailgroup -n "__fish_seen_subcommand_from create" -l applicant -x -d 'Who asked'
complete -c mailgroup -n "__fish_seen_subcommand_from create" -l exist-ok -d 'Succeed if it exists'
complete -c mailgroup -n "__fish_seen_subcommand_from freeze" -l reason -x -d 'Why'
complete -c mailgroup -n "__fish_seen_subcommand_from eval sync" -l directory -r -F -d 'Employee directory'
complete -c mailgroup -n "__fish_seen_subcommand_from eval sync" -l skip-invalid -d 'Skip bad rows'
complete -c mailgroup -n "__fish_seen_subcommand_from eval" -l explain -x -d 'Why is EMAIL a member'
complete -c mailgroup -n "__fish_seen_subcommand_from sync" -l force -d 'Apply despite the removal cap'
complete -c mailgroup -n "__fish_seen_subcommand_from sync" -l summary -d 'One line a group'
complete -c mailgroup -n "__fish_seen_subcommand_from init create set delete freeze unfreeze member whitelist sync" -s n -l dry-run -d 'Print what would change'
