#!/bin/sh
# Runs the Dockerfile's stages for one app outside Docker, in <dir>, leaving <dir>/app as the image's
# /app would be. Usage: deploy/image/rehearse.sh <app> <dir>
set -eu
app=$1
dir=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)
steps="$repo/deploy/image/steps.sh"
rm -rf "$dir" && mkdir -p "$dir/repo" "$dir/app"
# pruner stage: COPY . . (minus .dockerignore), then prune
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$dir/repo")
(cd "$dir/repo" && sh "$steps" prune "$app")
# builder stage: manifests, install, sources, build
cp -R "$dir/repo/out/json/." "$dir/app"
(cd "$dir/app" && sh "$steps" install "$app")
cp -R "$dir/repo/out/full/." "$dir/app"
(cd "$dir/app" && sh "$steps" build "$app")
echo "pruned $app in $dir/app: node apps/$app/dist/main.js"
