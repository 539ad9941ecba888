#!/usr/bin/env bash
# Builds the API documentation of the published artifacts (without compiling or running tests):
#   gevent4j-api    Javadoc          api-java/target/reports/apidocs/index.html   (and the -javadoc.jar)
#   gevent4j-kotlin Dokka HTML        impl-kotlin/target/dokka/index.html
#                   Dokka Javadoc     impl-kotlin/target/dokkaJavadocJar/index.html (the -javadoc.jar's pages)
#   gevent4j-test   the same two      test-hub/target/dokka, test-hub/target/dokkaJavadocJar
# Javadoc runs with doclint: a Javadoc error fails the build. Finds a JDK >= 21 by itself; extra arguments
# go to Maven (e.g. -o).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/find-jdk.sh
mvn -B -ntp -Dmaven.test.skip=true -Ddokka.html.phase=package -pl api-java,impl-kotlin,test-hub package "$@"
for f in api-java/target/reports/apidocs impl-kotlin/target/dokka test-hub/target/dokka; do
  echo "gevent4j docs: $f/index.html"
done
