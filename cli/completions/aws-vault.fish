# fish completion for aws-vault. Load it from ~/.config/fish/config.fish
# with
#     aws-vault --completion-script-fish | source
# or save it as ~/.config/fish/completions/aws-vault.fish (make install
# puts it in $PREFIX/share/fish/vendor_completions.d).
#
# aws-vault answers itself: `aws-vault --completion-bash WORD...` prints
# the candidates for the last word, one a line. With none, and outside a
# flag, fish completes file names.

function __aws_vault_complete
    set -l words (commandline -opc)
    set -l current (commandline -ct)
    # After "--" comes the command that exec runs: complete it as one.
    if set -l i (contains -i -- -- $words)
        complete -C (string join -- ' ' (string escape -- $words[(math $i + 1)..-1]) "$current")
        return
    end
    set -l prog $words[1]
    command -q -- $prog; or set prog aws-vault
    set -l candidates (command $prog --completion-bash $words[2..-1] "$current" 2>/dev/null)
    if set -q candidates[1]
        string join \n -- $candidates
    else if not string match -q -- '-*' "$current"
        __fish_complete_path "$current"
    end
end

complete -c aws-vault -f -a '(__aws_vault_complete)'
