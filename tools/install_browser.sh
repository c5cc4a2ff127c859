#!/usr/bin/env bash
# Install Debian's Chromium for the headless-browser test of the web page
# (tests/tools/test_gradio_app.py drives it with Playwright). Needs root and
# apt; where it cannot install, it says so and the browser test skips.
set -uo pipefail
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser.sh: needs root and apt-get (apt-get install" \
        "chromium); the browser test will skip" >&2
    exit 0
fi
if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q chromium; } >/tmp/install_browser.log 2>&1; then
    echo "install_browser.sh: apt-get install chromium failed (see" \
        "/tmp/install_browser.log); the browser test will skip" >&2
fi
exit 0
