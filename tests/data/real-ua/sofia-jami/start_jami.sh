#!/bin/bash
# Starts a private D-Bus session bus and jamid on it (headless, no sound).
J=$(cd "$(dirname "$0")" && pwd)
export HOME=$J/home XDG_CONFIG_HOME=$J/home/.config XDG_DATA_HOME=$J/home/.local/share XDG_CACHE_HOME=$J/home/.cache
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
dbus-daemon --session --fork --address=unix:path=$J/bus.sock --print-pid > $J/dbus.pid
export DBUS_SESSION_BUS_ADDRESS=unix:path=$J/bus.sock
/usr/libexec/jamid -c -d -p > $J/jamid.log 2>&1 &
echo $! > $J/jamid.pid
