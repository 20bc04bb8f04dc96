#compdef aws-vault
# zsh completion for aws-vault. Load it from ~/.zshrc, after compinit, with
#     eval "$(aws-vault --completion-script-zsh)"
# or save it as _aws-vault in a directory of $fpath (make install puts it
# in $PREFIX/share/zsh/vendor-completions).
#
# aws-vault answers itself: `aws-vault --completion-bash WORD...` prints
# the candidates for the last word, one a line. With none, and outside a
# flag, zsh completes file names.

_aws-vault() {
    local i prog=${words[1]}
    local -a candidates
    [[ -x ${~prog} ]] || (( $+commands[$prog] )) || prog=aws-vault
    # After "--" comes the command that exec runs: complete it as a
    # command line of its own.
    for (( i = 2; i < CURRENT; i++ )); do
        if [[ ${words[i]} == -- ]]; then
            shift $i words
            (( CURRENT -= i ))
            _normal
            return
        fi
    done
    candidates=(${(f)"$(${~prog} --completion-bash "${(@)words[2,CURRENT]}" 2>/dev/null)"})
    if (( $#candidates )); then
        compadd -- "${candidates[@]}"
    elif [[ ${words[CURRENT]} != -* ]]; then
        _files
    fi
}

if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
    # Autoloaded from $fpath by compinit: complete at once.
    _aws-vault "$@"
elif (( $+functions[compdef] )); then
    compdef _aws-vault aws-vault
else
    print -u2 'aws-vault: run compinit before loading the zsh completion'
fi
