#!/usr/bin/env bash
# Tags a release of the action at HEAD: the version tag vX.Y.Z (annotated, its message the
# version's CHANGELOG.md section) and the major tag vX, moved to the same commit, which is what
# users' `uses: <owner>/cognito-domain-cert@vX` follows.
#
#   npm run release               check, tag, and print the git push commands
#   npm run release -- --push     check, tag, and push both tags to origin
#
# It refuses, and tags nothing, unless:
#   - the working tree is clean (no change, no untracked file);
#   - package.json's version is X.Y.Z, CHANGELOG.md has a "## [X.Y.Z]" section and nothing under
#     "## [Unreleased]", and tag vX.Y.Z does not exist yet;
#   - the major tag vX, if it exists, points at an ancestor of HEAD (a release never moves it back);
#   - dist/ is what `npm run bundle` builds from the sources (the check of .ci/run);
#   - the tests pass (`npm test`).
set -euo pipefail
cd "$(dirname "$0")/.."

push=false
for arg in "$@"; do
  case $arg in
    --push) push=true ;;
    -h | --help)
      awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
      exit 0
      ;;
    *)
      echo "release: unknown argument '$arg' (expected --push)" >&2
      exit 2
      ;;
  esac
done

refuse() {
  echo "release: refused: $*" >&2
  echo "release: nothing was tagged." >&2
  exit 1
}

changes=$(git status --porcelain --untracked-files=all)
if [ -n "$changes" ]; then
  echo "$changes" >&2
  refuse "the working tree is not clean. Commit or stash these changes first."
fi

version=$(node -p 'JSON.parse(require("fs").readFileSync("package.json", "utf8")).version')
if ! [[ $version =~ ^([0-9]+)\.[0-9]+\.[0-9]+$ ]]; then
  refuse "package.json's version '$version' is not of the form X.Y.Z."
fi
major="v${BASH_REMATCH[1]}"
tag="v$version"

if ! grep -qE "^## \[${version//./\\.}\]" CHANGELOG.md; then
  refuse "CHANGELOG.md has no '## [$version]' section. Describe the release there first."
fi
unreleased=$(awk '
  /^## \[Unreleased\]/ { inside = 1; next }
  inside && /^## / { exit }
  inside && NF { print }
' CHANGELOG.md)
if [ -n "$unreleased" ]; then
  refuse "CHANGELOG.md's [Unreleased] section lists changes that no version holds, and the release's notes would leave them out. Name the version first: rename that section to '## [X.Y.Z] - <date>' above '## [$version]', add an empty '## [Unreleased]', and set package.json's version (CONTRIBUTING.md, Releasing, step 1)."
fi
if git rev-parse -q --verify "refs/tags/$tag" >/dev/null; then
  refuse "tag $tag exists already (on $(git rev-parse --short "$tag^{commit}")). Raise the version in package.json and CHANGELOG.md."
fi
if git rev-parse -q --verify "refs/tags/$major" >/dev/null &&
  ! git merge-base --is-ancestor "$major^{commit}" HEAD; then
  refuse "tag $major points at $(git rev-parse --short "$major^{commit}"), which is not an ancestor of HEAD: releasing here would move $major back or onto another line."
fi

echo "── dist: npm run bundle, then compare dist/ with the committed one"
npm run --silent bundle >/dev/null || refuse "npm run bundle failed."
stale=$(git status --porcelain --untracked-files=all -- dist)
if [ -n "$stale" ]; then
  echo "$stale" >&2
  git --no-pager diff --stat -- dist >&2
  refuse "dist/ differs from what the sources build. The rebuilt dist/ is in the working tree: commit it, then release again."
fi

echo "── tests: npm test"
npm test || refuse "the tests failed."

commit=$(git rev-parse HEAD)
notes=$(awk -v heading="## [$version]" '
  index($0, heading) == 1 { inside = 1; next }
  inside && /^## / { exit }
  inside { print }
' CHANGELOG.md)
git tag -a "$tag" -m "$tag" -m "$notes" "$commit"
git tag -f "$major" "$commit" >/dev/null
echo "Tagged $tag and moved $major to $(git rev-parse --short "$commit")."

if [ "$push" = true ]; then
  git push origin "refs/tags/$tag"
  git push --force origin "refs/tags/$major"
else
  echo "Push them with:"
  echo "  git push origin refs/tags/$tag"
  echo "  git push --force origin refs/tags/$major"
fi
