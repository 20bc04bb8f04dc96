# bash completion for aws-vault. Load it from ~/.bashrc with
#     eval "$(aws-vault --completion-script-bash)"
# or install it as /usr/share/bash-completion/completions/aws-vault
# (make install does).
#
# aws-vault answers itself: `aws-vault --completion-bash WORD...` prints
# the candidates for the last word, one a line. With none, bash completes
# file names (-o default).

_aws-vault_bash_autocomplete() {
    local i prog=${COMP_WORDS[0]} cur prefix= glue= line quoted
    local -a words=()
    type -P -- "$prog" >/dev/null || prog=aws-vault
    # After "--" comes the command that exec runs: complete it as one.
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ ${COMP_WORDS[i]} == -- ]]; then
            if declare -F _command_offset >/dev/null; then
                _command_offset $((i + 1))
            fi
            return 0
        fi
    done
    # Bash splits --flag=value at the "=": join the pieces again.
    for ((i = 1; i <= COMP_CWORD; i++)); do
        if [[ ${COMP_WORDS[i]} == = && ${#words[@]} -gt 0 && ${words[-1]} == --* && ${words[-1]} != *=* ]]; then
            words[-1]+==
            glue=1
        elif [[ -n $glue ]]; then
            words[-1]+=${COMP_WORDS[i]}
            glue=
        else
            words+=("${COMP_WORDS[i]}")
        fi
    done
    cur=${words[-1]}
    # The shell replaces only what follows the "=".
    [[ $cur == --*=* ]] && prefix="${cur%%=*}="
    COMPREPLY=()
    while IFS= read -r line; do
        if [[ $line == "$cur"* ]]; then
            printf -v quoted '%q' "${line#"$prefix"}"
            COMPREPLY+=("$quoted")
        fi
    done < <("$prog" --completion-bash "${words[@]}" 2>/dev/null)
    return 0
}

complete -o default -F _aws-vault_bash_autocomplete aws-vault
