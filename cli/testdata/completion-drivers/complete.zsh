# complete.zsh MODE LINE: completes LINE in an interactive zsh (on a zpty)
# with compinit and aws-vault's script, loaded by MODE (eval or fpath),
# and prints the candidates zsh would offer, sorted.
emulate -L zsh
zmodload zsh/zpty || exit 2
mode=$1 line=$2
dir=$(mktemp -d) || exit 2
trap 'zpty -d z 2>/dev/null; rm -rf $dir' EXIT
mkdir $dir/fpath $dir/empty
aws-vault --completion-script-zsh > $dir/fpath/_aws-vault || exit 2
zpty z zsh -f -i
# What the shell writes to its terminal is read and dropped, so that it
# never waits for room.
drain() { local junk; while zpty -rt z junk 2>/dev/null; do :; done }
zpty -w z "PS1='> '; cd ${(q)dir}/empty"
if [[ $mode == fpath ]]; then
  zpty -w z "fpath=(${(q)dir}/fpath \$fpath)"
fi
zpty -w z "autoload -Uz compinit; compinit -u -d ${(q)dir}/zcompdump"
if [[ $mode == eval ]]; then
  zpty -w z 'eval "$(aws-vault --completion-script-zsh)"'
fi
# Record what each completion function hands to compadd, as zsh filters
# it for the word under the cursor, and when completion is over.
zpty -w z "capture=${(q)dir}/capture"
zpty -w z 'compadd() { if (( ${@[(I)-[OAD]]} )); then builtin compadd "$@"; return; fi; local -a m; builtin compadd -O m "$@"; print -rl -- $m >> $capture; builtin compadd "$@"; }'
zpty -w z 'comppostfuncs=(__done); __done() { print -r -- "<done>" >> $capture; }'
zpty -w z 'print -r -- "<ready>" > $capture.ready'
for i in {1..500}; do drain; [[ -e $dir/capture.ready ]] && break; sleep 0.02; done
[[ -e $dir/capture.ready ]] || { print -u2 "zsh did not start"; exit 2; }
zpty -w -n z "$line"$'\t'
for i in {1..500}; do drain; [[ -e $dir/capture ]] && grep -q '^<done>$' $dir/capture && break; sleep 0.02; done
grep -q '^<done>$' $dir/capture 2>/dev/null || { print -u2 "zsh did not complete"; exit 2; }
grep -v '^<done>$' $dir/capture | LC_ALL=C sort -u
