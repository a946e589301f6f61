# bash completion for mailgroup(1)                      -*- shell-script -*-
# SPDX-License-Identifier: GPL-3.0-or-later

_mailgroup_groups() {
  # Group addresses from the store named on the command line (or the
  # default), quietly: completion must never print errors.
  local store=() i
  for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
    if [[ ${COMP_WORDS[i]} == --store ]]; then
      store=(--store "${COMP_WORDS[i + 1]}")
    elif [[ ${COMP_WORDS[i]} == --store=* ]]; then
      store=(--store "${COMP_WORDS[i]#--store=}")
    fi
  done
  "${COMP_WORDS[0]}" "${store[@]}" list 2>/dev/null
}

_mailgroup() {
  local cur prev words=("${COMP_WORDS[@]}") cword=$COMP_CWORD
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  local commands="init check create set delete list show freeze unfreeze member whitelist eval sync explain generate export log request outbox held policy"
  local settings="--name --description --admin --permission --audit --no-audit --auditor --shown --hidden --notify-members --no-notify-members --leave-approval --no-leave-approval --ignore-auto-replies --no-ignore-auto-replies --require-login --no-require-login --members-may-send-as-group --no-members-may-send-as-group --department --include-subdepartments --no-include-subdepartments --where --exclude"

  case $prev in
    --permission) COMPREPLY=($(compgen -W "domain members anyone whitelist" -- "$cur")); return ;;
    --format)
      if [[ " ${words[*]} " == *" export "* ]]; then
        COMPREPLY=($(compgen -W "vcard ldif csv" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "text json csv" -- "$cur"))
      fi
      return
      ;;
    --table-type) COMPREPLY=($(compgen -W "hash lmdb cdb" -- "$cur")); return ;;
    --store | --output | -o | --map-dir | --postfix-config) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --directory | --from) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --from-format) COMPREPLY=($(compgen -W "toml jsonl" -- "$cur")); return ;;
    --since | --base-dn | --name | --description | --reason | --where | --department | --applicant | --wait | --expansion-limit | --admin | --auditor | --exclude | --unexclude | --member | --domain | --explain | --as | --sender | --login | --index | --socket | --idle) return ;;
  esac

  # The command: the first word after the global options.
  local i command="" sub="" positional=0
  for ((i = 1; i < cword; i++)); do
    case ${words[i]} in
      --store | --wait) ((i++)) ;;
      -*) ;;
      *)
        if [[ -z $command ]]; then
          command=${words[i]}
        elif [[ -z $sub && $command =~ ^(member|whitelist|generate|export|request|outbox|held)$ ]]; then
          sub=${words[i]}
        else
          ((positional++))
        fi
        ;;
    esac
  done

  if [[ -z $command ]]; then
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "--store --wait --help --help-all --version" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "$commands" -- "$cur"))
    fi
    return
  fi

  local options="--help" groups=0
  case $command in
    init) options="--domain --admin --permission --dry-run" ;;
    check) options="--format" ;;
    create) options="$settings --member --from --from-format --applicant --exist-ok --dry-run --no-notify" ;;
    set) options="$settings --unexclude --static --dry-run"; groups=1 ;;
    delete) options="--dry-run"; groups=1 ;;
    list) options="--format" ;;
    show) options="--format"; groups=1 ;;
    freeze) options="--reason --dry-run"; groups=1 ;;
    unfreeze) options="--dry-run"; groups=1 ;;
    eval) options="--directory --skip-invalid --explain --format"; groups=1 ;;
    log) options="--since --format"; groups=1 ;;
    sync) options="--directory --skip-invalid --dry-run --force --summary --no-notify" ;;
    explain) options="--sender --login --format"; groups=1 ;;
    member | whitelist)
      if [[ -z $sub ]]; then
        [[ $command == member ]] && COMPREPLY=($(compgen -W "add remove leave list" -- "$cur")) ||
          COMPREPLY=($(compgen -W "add remove list" -- "$cur"))
        return
      fi
      case $command/$sub in
        */list) options="--format" ;;
        member/add) options="--dry-run --no-notify" ;;
        member/leave) options="--as --reason --dry-run --no-notify" ;;
        *) options="--dry-run" ;;
      esac
      ((positional == 0)) && groups=1
      ;;
    request)
      if [[ -z $sub ]]; then
        COMPREPLY=($(compgen -W "list approve deny" -- "$cur"))
        return
      fi
      case $sub in
        list) options="--format"; ((positional == 0)) && groups=1 ;;
        approve) options="--as --dry-run" ;;
        deny) options="--as --reason --dry-run" ;;
      esac
      ;;
    outbox)
      if [[ -z $sub ]]; then
        COMPREPLY=($(compgen -W "list flush" -- "$cur"))
        return
      fi
      [[ $sub == list ]] && options="--format" || options=""
      ;;
    held)
      if [[ -z $sub ]]; then
        COMPREPLY=($(compgen -W "list release drop" -- "$cur"))
        return
      fi
      case $sub in
        list) options="--as --postfix-config --format"; ((positional == 0)) && groups=1 ;;
        *) options="--as --postfix-config --dry-run" ;;
      esac
      ;;
    policy)
      options="--index --socket --log --idle"
      ;;
    generate)
      if [[ -z $sub ]]; then
        COMPREPLY=($(compgen -W "postfix" -- "$cur"))
        return
      fi
      options="--output --check --postmap --apply --table-type --map-dir --postfix-config --expansion-limit --policy"
      ;;
    export)
      if [[ -z $sub ]]; then
        COMPREPLY=($(compgen -W "contacts" -- "$cur"))
        return
      fi
      options="--format --base-dn"
      ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$options --help" -- "$cur"))
  elif ((groups)); then
    COMPREPLY=($(compgen -W "$(_mailgroup_groups)" -- "$cur"))
  fi
}

complete -F _mailgroup mailgroup
