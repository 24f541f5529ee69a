#!/usr/bin/env bash
# The installed tools stand alone: install with Tools/quickstart.sh into a temporary prefix, then run
# them in a mount namespace where this clone (its build folder included) and the Swift toolchain are
# hidden under empty folders, as after `rm -rf` of the clone on a machine without Swift. Checks that
# the daemon starts, serves the built-in catalogue and prompts, and stops; then the uninstall.
# Needs root (or unprivileged user namespaces) for the private mounts.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd -P)"
toolchain="$(cd "$(dirname "$(readlink -f "$(command -v swift)")")/../.." && pwd -P)"
work="$(mktemp -d -t tutor-install.XXXXXX)"
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
mkdir -p "$work/home"

fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== install into $prefix"
HOME="$work/home" bash Tools/quickstart.sh --prefix "$prefix" --no-chat

echo "== linked libraries (none may come from the toolchain at $toolchain or the clone)"
for program in tutor tutord; do
    libs="$(ldd "$prefix/bin/$program")"
    if grep -q -e "$toolchain" -e "$repo" -e "not found" <<<"$libs"; then
        echo "$libs" >&2
        fail "$program still loads libraries from the toolchain or the clone"
    fi
done

if unshare -m true 2>/dev/null; then
    isolate=(unshare -m --propagation private)
elif unshare -rm true 2>/dev/null; then
    isolate=(unshare -rm --propagation private)
else
    fail "cannot make a private mount namespace (run as root, or enable unprivileged user namespaces)"
fi

echo "== run with $repo and $toolchain hidden"
out="$work/out.txt"
# Everything the run needs lives under $work, outside the hidden folders.
"${isolate[@]}" env -i PATH=/usr/bin:/bin HOME="$work/home" TUTOR_SOCKET="$work/tutord.sock" \
    TUTOR_DATA_DIR="$work/data" REPO="$repo" TOOLCHAIN="$toolchain" BIN="$prefix/bin" bash -c '
    set -euo pipefail
    mount -t tmpfs none "$TOOLCHAIN"
    mount -t tmpfs none "$REPO"
    [ -z "$(ls -A "$REPO")" ] && [ -z "$(ls -A "$TOOLCHAIN")" ] || { echo "the folders are not hidden"; exit 1; }
    ! command -v swift >/dev/null || { echo "swift is still reachable"; exit 1; }
    "$BIN/tutor" catalogue show rag-basics
    "$BIN/tutor" chat -m "hi"
    "$BIN/tutor" status
    "$BIN/tutor" stop
' >"$out" 2>&1 || { cat "$out" >&2; fail "the installed tools did not run with the clone and toolchain hidden"; }
cat "$out"
grep -q "rag-basics" "$out" || fail "the built-in catalogue did not answer"
grep -qi "offline" "$out" || fail "the status did not report the built-in offline model"
grep -q "Welcome!" "$out" && grep -q "What is your background" "$out" || fail "the chat did not start the first-run setup from the built-in prompts"
grep -qi "Fatal error\|could not load resource bundle\|backtrace" "$out" && fail "the daemon crashed"

echo "== uninstall"
HOME="$work/home" bash Tools/quickstart.sh --prefix "$prefix" --uninstall
[ ! -e "$prefix/bin/tutor" ] && [ ! -e "$prefix/bin/tutord" ] || fail "the uninstall left the programs behind"
echo "install test passed: the installed tutor and tutord run without the clone and the toolchain"
