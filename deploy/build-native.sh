#!/usr/bin/env bash
# Builds the services as native executables (./mvnw package -Pnative) and, where a container
# engine runs, their images suite/<service>:<version>-native (deploy/build-images.sh --native).
#
# native-image on this host (GraalVM or Mandrel, JDK 17+) builds locally; without it, a running
# docker or podman builds inside Quarkus's Mandrel builder image (-Dquarkus.native.container-build).
# A native build takes minutes and several GB of memory per service: they run one after another.
set -euo pipefail

ALL_MODULES="llm-service,mcp-gateway,session-service,workflow-service,task-service"

usage() {
  cat <<EOF
Usage: deploy/build-native.sh [options]

Options:
  -m, --modules LIST   comma-separated services (default: $ALL_MODULES)
      --local          use the local native-image, fail if there is none
      --container      build inside a container even when native-image is installed
      --no-images      build the executables only
  -v, --version V      image version (default: the project version without -SNAPSHOT)
  -e, --engine NAME    docker or podman (default: whichever answers, docker first)
  -h, --help           this text

Extra Maven arguments follow a lone --, for example:
  deploy/build-native.sh -m llm-service -- -Dquarkus.native.native-image-xmx=6g
EOF
}

die() {
  echo "build-native: $*" >&2
  exit 1
}

cd "$(dirname "${BASH_SOURCE[0]}")/.."

modules=$ALL_MODULES
mode=auto
images=true
version=""
engine=""
maven_args=()

while [[ $# -gt 0 ]]; do
  case $1 in
    -m | --modules) modules=${2:?--modules needs a list}; shift 2 ;;
    --local) mode=local; shift ;;
    --container) mode=container; shift ;;
    --no-images) images=false; shift ;;
    -v | --version) version=${2:?--version needs a value}; shift 2 ;;
    -e | --engine) engine=${2:?--engine needs docker or podman}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    --) shift; maven_args=("$@"); break ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done

IFS=, read -r -a selected <<<"$modules"
for m in "${selected[@]}"; do
  [[ ,$ALL_MODULES, == *",$m,"* ]] || die "unknown service: $m (one of $ALL_MODULES)"
done

find_native_image() {
  local dir
  for dir in "${GRAALVM_HOME:-}" "${JAVA_HOME:-}"; do
    if [[ -n $dir && -x $dir/bin/native-image ]]; then
      echo "$dir/bin/native-image"
      return
    fi
  done
  command -v native-image 2>/dev/null || true
}

# An engine counts only if it answers: a docker client without a daemon does not.
find_engine() {
  local candidate
  if [[ -n $engine ]]; then
    "$engine" info >/dev/null 2>&1 && echo "$engine"
    return 0
  fi
  for candidate in docker podman; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" info >/dev/null 2>&1; then
      echo "$candidate"
      return 0
    fi
  done
}

native_image=$(find_native_image)
running_engine=$(find_engine)

build_args=()
case $mode in
  auto)
    if [[ -n $native_image ]]; then
      mode=local
    elif [[ -n $running_engine ]]; then
      mode=container
    else
      die "neither native-image (GraalVM or Mandrel: set GRAALVM_HOME, or put it on the PATH) nor a" \
        "running container engine (docker or podman) was found, so nothing can build a native" \
        "executable here. Install Mandrel/GraalVM for JDK 17+, or run this on a host with Docker."
    fi
    ;;
  local)
    [[ -n $native_image ]] || die "--local: no native-image found (GRAALVM_HOME, JAVA_HOME, PATH)"
    ;;
  container)
    [[ -n $running_engine ]] || die "--container: no running docker or podman${engine:+ ($engine)}"
    ;;
esac

if [[ $mode == local ]]; then
  # Quarkus looks for native-image where this script did: GRAALVM_HOME, JAVA_HOME, the PATH.
  echo "build-native: native-image at $native_image"
else
  echo "build-native: building inside a container ($running_engine)"
  build_args+=(-Dquarkus.native.container-build=true "-Dquarkus.native.container-runtime=$running_engine")
fi

./mvnw -B package -Pnative -DskipTests -pl "$modules" -am "${build_args[@]}" "${maven_args[@]}"

for m in "${selected[@]}"; do
  compgen -G "$m/target/*-runner" >/dev/null || die "$m: no native executable in $m/target"
done
echo "build-native: native executables built for $modules"

if ! $images; then
  exit 0
fi
if [[ -z $running_engine ]]; then
  echo "build-native: no running container engine: images not built" \
    "(run deploy/build-images.sh --native on a host with Docker or Podman)" >&2
  exit 0
fi
image_args=(--native -m "$modules" -e "$running_engine")
[[ -z $version ]] || image_args+=(-v "$version")
exec deploy/build-images.sh "${image_args[@]}"
