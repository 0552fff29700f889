#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the browser test (tests/ScratchNet.Tests/Serve/BrowserTests.cs),
# when they are missing. Needs root (or sudo) and the Debian registry; prints what it did.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  echo "chromium and chromedriver are installed: $(/usr/bin/chromium --version 2>/dev/null || true)"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >/dev/null
echo "installed: $(/usr/bin/chromium --version) / $(/usr/bin/chromedriver --version)"
