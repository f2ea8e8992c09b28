#!/usr/bin/env bash
# Builds the console and drives its real window under Xvfb with tauri-driver + WebKitWebDriver.
#
#   bash tests/console/run.sh
#
# Needs: Debian's xvfb, webkit2gtk-driver and the Tauri build packages; Node 20; tauri-driver
# (`cargo install tauri-driver --version 2.1.0 --locked`). Everything listens on 127.0.0.1.
# Exits with the test's exit code. Screenshots land in tests/console/artifacts/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
driver_port=4444
native_port=4445

say() { printf '[console-test] %s\n' "$*" >&2; }
need() {
  command -v "$1" >/dev/null 2>&1 || { say "missing $1: $2"; exit 2; }
}

export PATH="$PATH:${CARGO_HOME:-$HOME/.cargo}/bin"
need Xvfb 'apt-get install --no-install-recommends xvfb xauth'
need WebKitWebDriver 'apt-get install --no-install-recommends webkit2gtk-driver'
need tauri-driver 'cargo install tauri-driver --version 2.1.0 --locked'
need npm 'install Node.js 20'
need cargo 'install Rust'

# Processes started here, stopped on any exit by their pid (tauri-driver with the process group
# it leads: the WebKitWebDriver it spawns and the console that one spawns).
xvfb_pid=''
driver_pid=''
data_dir=''
stop() {
  local status=$?
  if [[ -n "$driver_pid" ]]; then
    kill -TERM -- "-$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
  fi
  if [[ -n "$xvfb_pid" ]]; then
    kill -TERM "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  if [[ -n "$data_dir" ]]; then
    if [[ $status -eq 0 ]]; then rm -rf "$data_dir"; else say "data left in $data_dir"; fi
  fi
  exit "$status"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 1. The UI, rebuilt when a source is newer than the last build.
cd "$repo/ui"
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say 'installing UI packages'
  npm ci --no-audit --no-fund
fi
if [[ ! -f dist/index.html ]] || [[ -n "$(find src index.html package.json package-lock.json \
  vite.config.ts svelte.config.js -newer dist/index.html -print -quit)" ]]; then
  say 'building the UI'
  npm run build
fi

# 2. The console binary.
cd "$repo"
say 'building homewatch-console'
cargo build -p homewatch-console
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
export HOMEWATCH_CONSOLE_BIN="$target_dir/debug/homewatch-console"

# 3. WebdriverIO. `.npmrc` turns install scripts off: no driver or browser is downloaded.
cd "$here"
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say 'installing test packages'
  npm ci --no-audit --no-fund --ignore-scripts
fi

# 4. A virtual display on a free number, chosen by Xvfb itself.
if (exec 3<>"/dev/tcp/127.0.0.1/$driver_port") 2>/dev/null; then
  say "127.0.0.1:$driver_port is taken: stop whatever listens there first"
  exit 2
fi
display_file="$(mktemp)"
Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3>"$display_file" 2>/dev/null &
xvfb_pid=$!
for _ in $(seq 50); do [[ -s "$display_file" ]] && break; sleep 0.1; done
[[ -s "$display_file" ]] || { say 'Xvfb did not start'; exit 2; }
export DISPLAY=":$(head -n1 "$display_file")"
rm -f "$display_file"
unset WAYLAND_DISPLAY
say "Xvfb on $DISPLAY (pid $xvfb_pid)"

# 5. A fresh data directory, inherited by the console through tauri-driver and WebKitWebDriver.
data_dir="$(mktemp -d -t homewatch-console-test.XXXXXX)"
export HOMEWATCH_DATA_DIR="$data_dir"

# 6. tauri-driver on loopback, leading its own process group.
setsid tauri-driver --port "$driver_port" --native-port "$native_port" \
  --native-host 127.0.0.1 --native-driver "$(command -v WebKitWebDriver)" &
driver_pid=$!
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$driver_port") 2>/dev/null && break
  kill -0 "$driver_pid" 2>/dev/null || { say 'tauri-driver exited'; exit 2; }
  sleep 0.1
done
say "tauri-driver on 127.0.0.1:$driver_port (pid $driver_pid)"

# 7. The test; its exit code is this script's.
set +e
node --test --test-concurrency=1 console.test.mjs
status=$?
set -e
exit "$status"
