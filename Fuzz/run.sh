#!/usr/bin/env bash
# Builds the libFuzzer targets and runs one of them.
#
#   Fuzz/run.sh TARGET SECONDS [extra libFuzzer flags...]
#   Fuzz/run.sh TARGET replay FILE... # run saved inputs once each (a crash, a corpus entry)
#   Fuzz/run.sh build                 # only build
#
# TARGET is compiler, inputs, journal, masker or nesting (or FuzzCompiler, …, FuzzNesting). The
# growing corpus is kept in Fuzz/corpus/TARGET, crashes in Fuzz/artifacts/TARGET, the log in
# Fuzz/logs/TARGET.log. Seeds: the guides in ../shared/corpus (when present, read in place,
# never copied) and Tests/RunbookCoreTests/Fixtures for compiler; Fuzz/Seeds/* for the others.
# Exits non-zero when the fuzzer found a crash. See docs/fuzzing.md.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
scratch="${FUZZ_SCRATCH:-$here/.build-fuzz}"

build() {
  # -sanitize=fuzzer links clang's libFuzzer runtime (libclang_rt.fuzzer) that the Swift
  # toolchain ships; address adds AddressSanitizer to every Swift module, so unsafe pointer
  # code in the Markdown bridge is checked too.
  local flags=(-c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -g)
  if ! swift build --package-path "$here" --scratch-path "$scratch" "${flags[@]}" >&2; then
    # SwiftPM keeps its build plan when files are added to the main package (a path dependency
    # here), and then fails on names from the new files; drop the plan and build once more.
    echo "run.sh: build failed; dropping the cached build plan and trying once more" >&2
    rm -f "$scratch/release.yaml" "$scratch/build.db"
    swift build --package-path "$here" --scratch-path "$scratch" "${flags[@]}" >&2
  fi
}

if [[ "${1:-}" == build ]]; then build; exit 0; fi
if [[ $# -lt 2 ]]; then
  echo "usage: Fuzz/run.sh compiler|inputs|journal|masker|nesting SECONDS|replay [libFuzzer flags or files...]" >&2
  exit 2
fi

case "$1" in
  compiler | FuzzCompiler) name=compiler; product=FuzzCompiler ;;
  inputs | FuzzInputs) name=inputs; product=FuzzInputs ;;
  journal | FuzzJournal) name=journal; product=FuzzJournal ;;
  masker | FuzzMasker) name=masker; product=FuzzMasker ;;
  nesting | FuzzNesting) name=nesting; product=FuzzNesting ;;
  *) echo "run.sh: unknown target '$1'; use compiler, inputs, journal, masker or nesting" >&2; exit 2 ;;
esac
seconds="$2"
shift 2

build
binary="$(swift build --package-path "$here" --scratch-path "$scratch" -c release --show-bin-path)/$product"

# Known leaks outside runbook (see lsan.supp) are not reported.
export LSAN_OPTIONS="suppressions=$here/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

if [[ "$seconds" == replay ]]; then
  # Given files rather than folders, libFuzzer runs each once and reports what happens.
  "$binary" -timeout=10 -rss_limit_mb=4096 "$@"
  exit $?
fi

corpus="$here/corpus/$name"
artifacts="$here/artifacts/$name"
mkdir -p "$corpus" "$artifacts" "$here/logs"

seeds=()
case "$name" in
  compiler)
    seeds+=("$root/Tests/RunbookCoreTests/Fixtures")
    [[ -d "$root/../shared/corpus" ]] && seeds+=("$root/../shared/corpus")
    dict=(-dict="$here/Dictionaries/markdown.dict")
    ;;
  inputs) seeds+=("$here/Seeds/inputs"); dict=(-dict="$here/Dictionaries/yaml.dict") ;;
  journal) seeds+=("$here/Seeds/journal"); dict=(-dict="$here/Dictionaries/journal.dict") ;;
  # The bytes are choices, not text: no seeds or dictionary.
  masker | nesting) dict=() ;;
esac

# The first folder receives new inputs; the seed folders (read recursively) are only read.
# -max_len: inputs up to 64 KB; -timeout: one input running longer than this is reported as
# a hang; -rss_limit_mb: a memory blow-up is reported too.
"$binary" "$corpus" "${seeds[@]}" "${dict[@]}" \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 "$@" 2>&1 | tee "$here/logs/$name.log"
