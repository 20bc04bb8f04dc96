# complete.bash LINE: completes LINE, typed at a bash prompt with the cursor
# at its end, with the script aws-vault --completion-script-bash prints
# (loaded as an rc file loads it), the way bash does: the function that
# `complete -p aws-vault` names is called with COMP_WORDS split as
# readline splits them ("=" is a word of its own) and its COMPREPLY is
# printed, sorted.
set -u
eval "$(aws-vault --completion-script-bash)" || exit 2
spec=$(complete -p aws-vault) || exit 2
fn=${spec##*-F } fn=${fn%% *}
line=$1
read -ra parts <<<"$line"
[[ $line == *' ' || -z $line ]] && parts+=("")
COMP_WORDS=()
for p in "${parts[@]}"; do
	if [[ $p == *=* ]]; then
		COMP_WORDS+=("${p%%=*}" "=")
		[[ -n ${p#*=} ]] && COMP_WORDS+=("${p#*=}")
	else
		COMP_WORDS+=("$p")
	fi
done
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE=$line COMP_POINT=${#line} COMP_TYPE=9 COMP_KEY=9
"$fn" aws-vault "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" || exit 2
((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
exit 0
