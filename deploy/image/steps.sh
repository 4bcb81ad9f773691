#!/bin/sh
# The image's build steps, in one place: the Dockerfile runs them, and rehearse.sh runs the same
# steps without Docker (CI has no engine). Usage: steps.sh prune|install|build <app>
set -eu
step=$1
app=$2
case "$step" in
  prune) # at the repo root: writes out/json (manifests + pruned lock file) and out/full (sources)
    turbo_range=$(node -p "require('./package.json').devDependencies.turbo")
    npx --yes "turbo@$turbo_range" prune "@fanout/$app" --docker ;;
  install) # in a directory holding out/json: the dependencies of the app and its libs only
    npm install --no-audit --no-fund ;;
  build) # after out/full was copied over it: compile, then drop dev dependencies
    npx turbo run build --filter="@fanout/$app"
    npm prune --omit=dev --no-audit --no-fund ;;
  *) echo "unknown step $step" >&2; exit 2 ;;
esac
