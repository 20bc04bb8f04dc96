# complete.fish LINE: the candidates fish offers for LINE, typed with the
# cursor at its end, with the script aws-vault --completion-script-fish
# prints (loaded as config.fish loads it), sorted, in an empty directory
# (so that a fallback to file names shows as nothing).
set -l dir (mktemp -d); or exit 2
cd $dir
aws-vault --completion-script-fish | source; or exit 2
complete -C $argv[1] | string split -f1 \t | env LC_ALL=C sort
cd /
rm -r $dir
