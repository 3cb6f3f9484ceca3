#!/usr/bin/env bash
# Builds the services' container images from what Maven left in each module's target/:
#   suite/<service>:<version>         from src/main/docker/Dockerfile.jvm    (target/quarkus-app)
#   suite/<service>:<version>-native  from src/main/docker/Dockerfile.native (target/*-runner)
# The Kubernetes manifests and deploy/compose.yaml use these names.
set -euo pipefail

ALL_MODULES="llm-service,mcp-gateway,session-service,workflow-service,task-service"

usage() {
  cat <<EOF
Usage: deploy/build-images.sh [options]

Builds container images of the services (JVM ones by default) with docker or podman.

Options:
  -m, --modules LIST   comma-separated services (default: $ALL_MODULES)
      --jvm            JVM images only (the default)
      --native         native images only: needs the native executables
                       (deploy/build-native.sh or ./mvnw package -Pnative)
      --all            both
  -p, --package        run ./mvnw -B package -DskipTests for the modules first (JVM images)
  -v, --version V      image version (default: the project version without -SNAPSHOT)
  -e, --engine NAME    docker or podman (default: whichever answers, docker first)
  -h, --help           this text
EOF
}

die() {
  echo "build-images: $*" >&2
  exit 1
}

cd "$(dirname "${BASH_SOURCE[0]}")/.."

modules=$ALL_MODULES
flavors="jvm"
package=false
version=""
engine=""

while [[ $# -gt 0 ]]; do
  case $1 in
    -m | --modules) modules=${2:?--modules needs a list}; shift 2 ;;
    --jvm) flavors="jvm"; shift ;;
    --native) flavors="native"; shift ;;
    --all) flavors="jvm native"; shift ;;
    -p | --package) package=true; shift ;;
    -v | --version) version=${2:?--version needs a value}; shift 2 ;;
    -e | --engine) engine=${2:?--engine needs docker or podman}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done

IFS=, read -r -a selected <<<"$modules"
for m in "${selected[@]}"; do
  [[ ,$ALL_MODULES, == *",$m,"* ]] || die "unknown service: $m (one of $ALL_MODULES)"
done

if [[ -z $version ]]; then
  # The project version is the first <version> of the parent pom (it has no parent of its own).
  version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)
  version=${version%-SNAPSHOT}
  [[ -n $version ]] || die "cannot read the project version from pom.xml: pass --version"
fi

# An engine counts only if it answers: a docker client without a daemon does not.
if [[ -z $engine ]]; then
  for candidate in docker podman; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" info >/dev/null 2>&1; then
      engine=$candidate
      break
    fi
  done
  [[ -n $engine ]] || die "no container engine answers here (docker info / podman info failed):" \
    "build the images on a host with Docker or Podman"
elif ! "$engine" info >/dev/null 2>&1; then
  die "$engine does not answer ($engine info failed)"
fi

if $package; then
  ./mvnw -B package -DskipTests -pl "$modules" -am
fi

for m in "${selected[@]}"; do
  for flavor in $flavors; do
    if [[ $flavor == jvm ]]; then
      tag="suite/$m:$version"
      [[ -f $m/target/quarkus-app/quarkus-run.jar ]] ||
        die "$m/target/quarkus-app is missing: run ./mvnw -B package -DskipTests -pl $m -am (or pass --package)"
    else
      tag="suite/$m:$version-native"
      compgen -G "$m/target/*-runner" >/dev/null ||
        die "$m/target/*-runner is missing: run deploy/build-native.sh -m $m"
    fi
    echo "build-images: $tag"
    "$engine" build -f "$m/src/main/docker/Dockerfile.$flavor" -t "$tag" "$m"
  done
done
