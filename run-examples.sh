#!/usr/bin/env bash
# Builds what the examples need (gevent4j-api, gevent4j-kotlin and the examples module: -pl examples -am,
# without compiling or running tests, without sources/javadoc jars), installs it into ~/.m2, and runs every
# example, Java and Kotlin, printing what they print (io.gevent4j.examples.RunAll, with the --add-opens flag).
# Finds a JDK >= 21 by itself. Arguments go to both Maven calls (e.g. -o offline).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/find-jdk.sh
mvn -q -B -ntp -pl examples -am install \
  -Dmaven.test.skip=true -Dmaven.source.skip=true -Dmaven.javadoc.skip=true -Ddokka.skip=true "$@"
exec mvn -q -B -ntp -pl examples exec:exec@run-examples "$@"
