#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz": clang, ASan+UBSan) and runs each for a bounded time,
# starting from a fresh copy of its seed corpus. Exits non-zero if any target crashes, leaks, times
# out or runs out of memory, printing the reproducer.
#
#   tests/fuzz/run.sh                      # all targets, 30 s each
#   STRATA_FUZZ_SECONDS=300 tests/fuzz/run.sh fuzz_plant_yaml
#
# Reproduce a finding: build-fuzz/tests/fuzz/<target> <reproducer file>
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
seconds="${STRATA_FUZZ_SECONDS:-30}"
all_targets=(fuzz_http_request fuzz_plant_yaml)
targets=("${@:-${all_targets[@]}}")

seeds_of() {
  case "$1" in
    fuzz_http_request) echo http ;;
    fuzz_plant_yaml) echo plant_yaml ;;
    *) echo "fuzz: unknown target '$1' (known: ${all_targets[*]})" >&2; exit 2 ;;
  esac
}
for target in "${targets[@]}"; do seeds_of "$target" >/dev/null; done

cd "$repo"
cmake --preset fuzz
cmake --build --preset fuzz

# Stop at the first UBSan report too (by default it only prints and carries on).
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

work="$(mktemp -d "${TMPDIR:-/tmp}/strata-fuzz.XXXXXX")"
passed=0
failed=0
failures=()
for target in "${targets[@]}"; do
  seeds="$(seeds_of "$target")"
  binary="$repo/build-fuzz/tests/fuzz/$target"
  corpus="$work/$target/corpus"
  artifacts="$work/$target/artifacts"
  scratch="$work/$target/tmp"  # the targets' own temp files (libFuzzer exits without cleaning up)
  mkdir -p "$corpus" "$artifacts" "$scratch"
  cp "$here/corpus/$seeds/"* "$corpus/"
  echo "fuzz: running $target for ${seconds}s (corpus $corpus)"
  set +e
  TMPDIR="$scratch" "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -dict="$here/$seeds.dict" -artifact_prefix="$artifacts/" -print_final_stats=1 \
    "$corpus" 2>&1 | tee "$work/$target/log"
  status=${PIPESTATUS[0]}
  set -e
  findings=()
  while IFS= read -r -d '' file; do findings+=("$file"); done \
    < <(find "$artifacts" -type f ! -name 'slow-unit-*' -print0)
  if [[ $status -eq 0 && ${#findings[@]} -eq 0 ]]; then
    passed=$((passed + 1))
    echo "fuzz: $target passed"
  else
    failed=$((failed + 1))
    failures+=("$target")
    echo "fuzz: $target FAILED (exit $status; log $work/$target/log)"
    for file in "${findings[@]}"; do
      echo "fuzz: reproducer $file"
      echo "fuzz:   re-run with: $binary $file"
    done
    [[ ${#findings[@]} -gt 0 ]] || echo "fuzz: no reproducer was written; see the log"
  fi
done

[[ $failed -eq 0 ]] && rm -rf "$work"
echo "fuzz: $passed passed, $failed failed${failures:+ (${failures[*]})}"
[[ $failed -eq 0 ]]
