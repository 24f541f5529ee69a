#!/usr/bin/env bash
# From a fresh clone to a `tutor chat` prompt: install system libraries, build a release with the
# Swift runtime linked in, put `tutor` and `tutord` in ~/.local/bin, and start chatting (no LLM
# endpoint needed). The installed tools need neither this clone nor the Swift toolchain afterwards.
#
#   bash Tools/quickstart.sh                  build, install, chat
#   bash Tools/quickstart.sh --no-chat        build and install only
#   bash Tools/quickstart.sh --prefix DIR     install into DIR/bin instead of ~/.local/bin
#   bash Tools/quickstart.sh --uninstall      stop tutord, remove its service and the two programs
#                                             (your data and configuration stay; the script says where)
set -euo pipefail
cd "$(dirname "$0")/.."

prefix="$HOME/.local"
chat=1
uninstall=0
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix="${2:?--prefix needs a folder}"; shift 2 ;;
        --prefix=*) prefix="${1#--prefix=}"; shift ;;
        --no-chat) chat=0; shift ;;
        --uninstall) uninstall=1; shift ;;
        --) shift; break ;;
        *) break ;;
    esac
done
bin="$prefix/bin"

if [ "$uninstall" -eq 1 ]; then
    if [ -x "$bin/tutor" ]; then
        # The service first (it would restart tutord), then any autostarted daemon.
        if [ -f "${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user/tutord.service" ]; then
            "$bin/tutor" service uninstall || true
        fi
        "$bin/tutor" stop --no-autostart >/dev/null 2>&1 || true
    fi
    rm -f "$bin/tutor" "$bin/tutord"
    echo "Removed tutor and tutord from $bin."
    echo "Your data is still in ${TUTOR_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/tutor} and your settings in"
    echo "${XDG_CONFIG_HOME:-$HOME/.config}/tutor; delete those folders too to remove everything."
    exit 0
fi

bash Tools/install-deps.sh
echo "Building Tutor (release; the first build takes several minutes)..."
log="$(mktemp -t tutor-build.XXXXXX)"
# --static-swift-stdlib links the Swift runtime and Foundation into the programs, so they run on a
# machine without the toolchain; the catalogue and prompts are compiled in (Tools/EmbedResources).
build=(swift build -c release --static-swift-stdlib)
if ! { "${build[@]}" --product tutord && "${build[@]}" --product tutor; } >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "The build failed; the full log is $log" >&2
    exit 1
fi
rm -f "$log"
built="$("${build[@]}" --show-bin-path 2>/dev/null)"
mkdir -p "$bin"
# A running tutord keeps serving the old program until it stops; say so rather than stop it.
if [ -x "$bin/tutor" ] && "$bin/tutor" status --no-autostart >/dev/null 2>&1; then
    echo "A tutord is running; it keeps the previous version until \`tutor stop\` (the next command starts the new one)."
fi
install -m 0755 "$built/tutord" "$built/tutor" "$bin/"
echo "Installed tutor and tutord in $bin (add it to PATH if it is not there). To remove them: bash Tools/quickstart.sh --uninstall"
if [ "$chat" -eq 1 ]; then
    exec "$bin/tutor" chat "$@"
fi
