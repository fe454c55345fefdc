#!/usr/bin/env zsh
# zcap.zsh FPATH_DIR "command line": types the line into an interactive zsh (compinit, FPATH_DIR first on $fpath),
# presses Tab and prints every candidate the completion system offered (compadd is wrapped to print them), one a
# line. Used by CompletionBehaviourTest to drive the real zsh completion system.
zmodload zsh/zpty || exit 1
zpty z 'zsh -f -i'
zpty -w z "fpath=(${(q)1} \$fpath); autoload -Uz compinit && compinit -u -D; bindkey '^I' complete-word"
zpty -w z 'compadd() { local -a __h; builtin compadd -O __h "$@"; local x; for x in $__h; do print -rn -- "<<$x>>"; done; builtin compadd "$@"; }'
zpty -w z 'print READY_$((40+2))'
wait_for() {
  local start=$SECONDS chunk
  while (( SECONDS - start < 15 )); do
    if zpty -r -t z chunk 2>/dev/null; then out+="$chunk"; [[ $out == *$1* ]] && return 0; else sleep 0.05; fi
  done
  return 1
}
out=""
wait_for READY_42 || { echo "zsh did not start" >&2; exit 1; }
out=""
zpty -n -w z "$2"$'\t'
zpty -n -w z $'\C-u'
zpty -w z 'print DONE_$((40+2))'
wait_for DONE_42
zpty -d z
[[ -n $ZCAP_RAW ]] && print -r -- "${(q)out}" >&2
print -r -- "$out" | grep -ao '<<[^<>]*>>' | sed 's/^<<//; s/>>$//' | sort -u
