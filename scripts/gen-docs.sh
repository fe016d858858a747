#!/usr/bin/env bash
# Generates the man page and the shell completions from bindrace's command
# definitions (swift-argument-parser): docs/man/bindrace.1 and
# dist/completions/{bindrace.bash,_bindrace,bindrace.fish}. Commit the results;
# rerun after changing a command, option or help text.
#
#   bash scripts/gen-docs.sh
#   SCRATCH=.build-docs bash scripts/gen-docs.sh     # another build directory
#   PACKAGE=path bash scripts/gen-docs.sh            # build from another package checkout
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
package=${PACKAGE:-$root}
scratch=${SCRATCH:-$package/.build}
cd "$root"

swift build --package-path "$package" --scratch-path "$scratch" --product bindrace
bin="$(swift build --package-path "$package" --scratch-path "$scratch" --show-bin-path)/bindrace"

mkdir -p dist/completions docs/man
"$bin" --generate-completion-script bash >dist/completions/bindrace.bash
"$bin" --generate-completion-script zsh >dist/completions/_bindrace
"$bin" --generate-completion-script fish >dist/completions/bindrace.fish

# The man page carries the last commit's date, not today's, so that
# regenerating without changes gives the same file.
version=$("$bin" --version)
date=${DOCS_DATE:-$(git -C "$root" log -1 --format=%cs 2>/dev/null || date -u +%Y-%m-%d)}
# The GenerateManual plugin (swift-argument-parser) builds the package and
# writes into its own work directory, which it names on its last line.
log=$(swift package --package-path "$package" --scratch-path "$scratch" \
  plugin generate-manual --configuration debug --date "$date" --authors "the bindrace authors" 2>&1) \
  || { printf '%s\n' "$log" >&2; exit 1; }
dir=$(printf '%s\n' "$log" | sed -n "s|^Generated manual in '\(file://\)\{0,1\}\(.*\)'$|\2|p" | tail -1)
[ -f "$dir/bindrace.1" ] || { printf '%s\n' "$log" >&2; echo "gen-docs: no bindrace.1 in '$dir'" >&2; exit 1; }
cp "$dir/bindrace.1" docs/man/bindrace.1
echo "bindrace $version: docs/man/bindrace.1, dist/completions/bindrace.bash, _bindrace, bindrace.fish"
