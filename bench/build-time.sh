#!/usr/bin/env bash
# `dotnet build` time of src/Models.Mnist with and without the generator's output cached, on a copy
# of the sources (the repository is never edited). Prints a Markdown table of medians over $RUNS
# builds each (default 3); see bench/README-generator.md.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'dotnet build-server shutdown >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
cp -r "$repo/Directory.Build.props" "$repo/Directory.Packages.props" "$repo/global.json" "$repo/src" "$work/"
rm -rf "$work"/src/*/bin "$work"/src/*/obj
project="$work/src/Models.Mnist/Models.Mnist.csproj"
model="$work/src/Models.Mnist/Models/DigitClassifier.cs"
program="$work/src/Models.Mnist/Program.cs"

build() { dotnet build "$project" -c Release --no-restore -nologo -v q "$@" >/dev/null; }

# Seconds of one build after running "$1" (a change to make first); the rest are build arguments.
timed() {
  local change=$1; shift
  eval "$change"
  local start; start=$(date +%s%N)
  build "$@"
  echo $(( ($(date +%s%N) - start) / 1000000 ))
}

median() { sort -n | awk '{ a[NR] = $1 } END { printf "%.1f s", a[int((NR + 1) / 2)] / 1000 }'; }

scenario() {
  local name=$1; shift
  local times=()
  for _ in $(seq "$runs"); do times+=("$(timed "$@")"); done
  echo "| $name | $(printf '%s\n' "${times[@]}" | median) |"
}

dotnet restore "$project" -nologo -v q >/dev/null
build  # warm-up: compiler server started, every output up to date

# Each change makes the file differ from the last build: a comment line more, or Dense 128 <-> 129.
comment='echo "// edited" >> "$program"'
layers='sed -i -e "s/\[Dense(128)\]/[Dense(X)]/" -e "s/\[Dense(129)\]/[Dense(128)]/" -e "s/\[Dense(X)\]/[Dense(129)]/" "$model"'
echo "| dotnet build of src/Models.Mnist | median of $runs |"
echo "|---|---|"
scenario "nothing changed (compile skipped)" ":"
scenario "Program.cs edited, compiler server warm: generator output cached" "$comment"
scenario "a model's layers edited, compiler server warm: that model regenerated" "$layers"
scenario "Program.cs edited, no compiler server: generator runs from scratch" "$comment" -p:UseSharedCompilation=false
