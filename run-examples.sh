#!/usr/bin/env bash
# Builds gevent4j (without tests) and runs every example, Java and Kotlin, printing what they print.
# Finds a JDK >= 21 by itself.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/find-jdk.sh
mvn -q -B -ntp install -DskipTests
exec mvn -q -B -ntp -pl examples exec:exec@run-examples
