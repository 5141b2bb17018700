#!/usr/bin/env bats
# The documentation site: `make docs` builds it with no warning, and it holds the course.
#
#   bats tests/docs/docs.bats                      builds the site into a temporary directory
#   DOCS_DIR=build/docs bats tests/docs/docs.bats  checks a site `make docs` already built
#
# Needs doxygen and graphviz (`make deps`), and for its browser check chromium and
# chromium-driver (optional packages of `make deps`; the check says so and skips without
# them); no root.

bats_require_minimum_version 1.5.0

REPO_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

# The step guides, in reading order, and the diagrams the pages must show.
STEPS=(01-setup 02-mount 03-unmount 04-integrate 05-test 06-named)
DIAGRAMS=(mount-tree propagation run-order steps-runtime)

setup_file() {
    if [ -z "${DOCS_DIR:-}" ]; then
        DOCS_DIR=$BATS_FILE_TMPDIR/docs
        local status=0
        make -s -C "$REPO_ROOT" docs DOCS_DIR="$DOCS_DIR" >"$BATS_FILE_TMPDIR/build.out" 2>&1 || status=$?
        echo "$status" >"$BATS_FILE_TMPDIR/build.status"
    fi
    export DOCS_DIR
}

setup() {
    HTML=$DOCS_DIR/html
}

fail() {
    printf '%s\n' "$@" >&2
    return 1
}

# The page Doxygen makes of a step's README.md: steps/01-setup/README.md -> md_steps_01_setup_README.html
step_page() {
    echo "md_steps_${1//-/_}_README.html"
}

# links_to PAGE TARGET: PAGE has a link to TARGET (the page itself, or an anchor in it).
links_to() {
    grep -q -E "href=\"$2(#[^\"]*)?\"" "$HTML/$1"
}

# The text of a Markdown file's first heading, without its Markdown and its {#label}.
first_heading() {
    sed -n 's/^# //p' "$1" | head -n 1 | sed 's/ *{#[^}]*} *$//; s/`//g'
}

# The title a generated page shows, as text.
page_title() {
    grep -o '<div class="title">.*</div>' "$HTML/$1" | head -n 1 |
        sed 's/<[^>]*>//g; s/&#39;/'"'"'/g; s/&amp;/\&/g; s/&lt;/</g; s/&gt;/>/g; s/ *$//'
}

@test "make docs builds the site with no Doxygen warning" {
    if [ -f "$BATS_FILE_TMPDIR/build.status" ]; then
        [ "$(cat "$BATS_FILE_TMPDIR/build.status")" = 0 ] ||
            fail "make docs failed:" "$(cat "$BATS_FILE_TMPDIR/build.out")"
    fi
    [ -f "$DOCS_DIR/warnings.log" ] || fail "no $DOCS_DIR/warnings.log: did docs-build run?"
    [ ! -s "$DOCS_DIR/warnings.log" ] ||
        fail "Doxygen warned:" "$(cat "$DOCS_DIR/warnings.log")"
    [ -f "$HTML/index.html" ] || fail "no $HTML/index.html"
}

@test "a Doxygen warning fails the build (warnings are errors)" {
    local dir=$BATS_TEST_TMPDIR
    printf '# Broken {#broken}\n\nSee \\ref no_such_page.\n' >"$dir/broken.md"
    cd "$REPO_ROOT"
    run doxygen - <<EOF
$(cat docs/Doxyfile)
INPUT = "$dir/broken.md"
USE_MDFILE_AS_MAINPAGE =
OUTPUT_DIRECTORY = "$dir/out"
WARN_LOGFILE = "$dir/warnings.log"
EOF
    [ "$status" -ne 0 ] || fail "doxygen exited 0 despite a warning: is WARN_AS_ERROR set in docs/Doxyfile?"
    grep -q no_such_page "$dir/warnings.log"
}

@test "the README is the main page" {
    [ -f "$HTML/index.html" ]
    # Doxygen anchors the main page made from README.md as md_README.
    grep -q 'id="md_README"' "$HTML/index.html" ||
        fail "index.html is not made from README.md (USE_MDFILE_AS_MAINPAGE)"
    [ "$(page_title index.html)" = "$(first_heading "$REPO_ROOT/README.md")" ] ||
        fail "index.html is titled '$(page_title index.html)'," \
             "README.md '$(first_heading "$REPO_ROOT/README.md")'"
}

@test "every step guide is a page, titled like its README" {
    local step page
    for step in "${STEPS[@]}"; do
        page=$(step_page "$step")
        [ -f "$HTML/$page" ] || fail "no page $page for steps/$step/README.md"
        [ "$(page_title "$page")" = "$(first_heading "$REPO_ROOT/steps/$step/README.md")" ] ||
            fail "$page is titled '$(page_title "$page")'," \
                 "steps/$step/README.md '$(first_heading "$REPO_ROOT/steps/$step/README.md")'"
    done
}

@test "the step pages link to each other in order: next and previous" {
    local i page next
    for ((i = 0; i + 1 < ${#STEPS[@]}; i++)); do
        page=$(step_page "${STEPS[i]}")
        next=$(step_page "${STEPS[i + 1]}")
        links_to "$page" "$next" || fail "$page has no link to the next step, $next"
        links_to "$next" "$page" || fail "$next has no link to the previous step, $page"
    done
}

@test "the main page and the steps index lead to the steps, in order" {
    links_to index.html "$(step_page "${STEPS[0]}")" ||
        fail "the main page has no link to the first step"
    [ -f "$HTML/md_steps_README.html" ] || fail "no page for steps/README.md"
    links_to "$(step_page "${STEPS[0]}")" md_steps_README.html ||
        fail "step 1 does not link back to the steps index"
    # In the index, each step's first link comes after the previous step's.
    local step line last=0
    for step in "${STEPS[@]}"; do
        line=$(grep -n -o "href=\"$(step_page "$step")" "$HTML/md_steps_README.html" | head -n 1 | cut -d: -f1)
        [ -n "$line" ] || fail "the steps index does not link to $step"
        [ "$line" -ge "$last" ] || fail "the steps index lists $step out of order"
        last=$line
    done
}

@test "the pages are in reading order in the menu" {
    local order=() step
    for step in "${STEPS[@]}"; do order+=("$(step_page "$step")"); done
    order+=(how_it_works.html troubleshooting.html)
    local file=$HTML/navtreedata.js page line last=0
    for page in "${order[@]}"; do
        line=$(grep -n -F "\"$page\"" "$file" | head -n 1 | cut -d: -f1)
        [ -n "$line" ] || fail "$page is not in the menu"
        [ "$line" -gt "$last" ] || fail "$page comes too early in the menu"
        last=$line
    done
}

@test "the how-it-works page links each stage of a run to the function that does it" {
    local page=$HTML/how_it_works.html
    [ -f "$page" ] || fail "no how_it_works.html (docs/how-it-works.md)"
    local function
    for function in parse_command_line run_container clone_into_namespaces make_mounts_private \
                    mount_overlay_root setup_container_volumes setup_volume mount_volume \
                    enter_root start_command cleanup_container_volumes unmount_volume; do
        grep -q -E "<a class=\"el\" href=\"[^\"]+\"[^>]*>$function\(\)</a>" "$page" ||
            fail "how_it_works.html does not link $function()"
    done
}

@test "the troubleshooting page covers the errors students meet and the clean-up command" {
    local page=$HTML/troubleshooting.html
    [ -f "$page" ] || fail "no troubleshooting.html (docs/troubleshooting.md)"
    local topic
    for topic in EBUSY EINVAL pivot_root ENOTDIR EPERM EROFS "not implemented yet" \
                 "left over after a crash" "shared" "common/tools/cleanup-mounts --yes"; do
        grep -q -F "$topic" "$page" || fail "troubleshooting.html does not mention: $topic"
    done
    [ -x "$REPO_ROOT/common/tools/cleanup-mounts" ]
}

@test "every diagram is rendered and shown on its page" {
    local diagram
    for diagram in "${DIAGRAMS[@]}"; do
        [ -f "$REPO_ROOT/docs/diagrams/$diagram.dot" ] || fail "no docs/diagrams/$diagram.dot"
        [ -s "$HTML/dot_$diagram.svg" ] || fail "not rendered: dot_$diagram.svg"
        grep -q '<svg' "$HTML/dot_$diagram.svg" || fail "dot_$diagram.svg is not an SVG image"
        grep -q "src=\"dot_$diagram.svg\"" "$HTML/how_it_works.html" ||
            fail "how_it_works.html does not show dot_$diagram.svg"
    done
    grep -q 'src="dot_propagation.svg"' "$HTML/troubleshooting.html" ||
        fail "troubleshooting.html does not show the propagation diagram"
}

@test "every .dot file of docs/diagrams is drawn somewhere in the site" {
    local file name
    for file in "$REPO_ROOT"/docs/diagrams/*.dot; do
        name=$(basename "$file" .dot)
        grep -l -q "src=\"dot_$name.svg\"" "$HTML"/*.html || fail "docs/diagrams/$name.dot is drawn on no page"
    done
}

@test "the reference documents every step function and the given API" {
    local page=$HTML/volume__steps_8hpp.html
    [ -f "$page" ] || fail "no page for volume_steps.hpp"
    local function
    for function in setup_volume mount_volume unmount_volume remove_mount_point \
                    setup_container_volumes cleanup_container_volumes; do
        grep -q ">container::$function</a>" "$page" || fail "volume_steps.hpp: $function is not listed"
        grep -q -E "<td class=\"memname\">.* container::$function </td>" "$HTML/namespacecontainer.html" ||
            fail "namespace container: $function has no documentation"
    done
    local class
    for class in classcontainer_1_1Rootfs structcontainer_1_1Volume structcontainer_1_1MountPoint; do
        [ -f "$HTML/$class.html" ] || fail "no page $class.html"
    done
}

@test "the site shows no solution and no test code" {
    ! compgen -G "$HTML/*_8cpp*" >/dev/null || fail "a .cpp file has a page:" "$(cd "$HTML" && ls -- *_8cpp*)"
    ! grep -l -E 'class="title">(solutions|tests) Directory Reference' "$HTML"/dir_*.html ||
        fail "solutions/ or tests/ is in the reference"
    grep -q -F 'target="_self">volume_steps.hpp</a>' "$HTML/files.html" ||
        fail "files.html does not list the headers (is this check still looking at the right page?)"
}

@test "no code span of the pages is mangled by Doxygen's Markdown" {
    # Doxygen 1.9 reads `sh -c 'x'` as typographic quotes, and drops a % before a word:
    # common/tools/docs-md-filter rewrites both, outside fenced code blocks.
    local dir=$BATS_TEST_TMPDIR
    printf '%s\n' "Run \`sh -c 'echo x'\` and \`stat -c %a d\`, or \`\`it's\`\`." \
                   '```' "stat -c '%a' d" '```' >"$dir/page.md"
    run "$REPO_ROOT/common/tools/docs-md-filter" "$dir/page.md"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "Run \`\`sh -c 'echo x'\`\` and \`stat -c %%a d\`, or \`\`it's\`\`." ] ||
        fail "filtered: ${lines[0]}"
    [ "${lines[2]}" = "stat -c '%a' d" ] || fail "a fenced block was changed: ${lines[2]}"
    # And in the site: no code span turned into quotes.
    ! grep -l '&lsquo;' "$HTML"/*.html || fail "a page shows a code span turned into quotes"
}

@test "each hint of a step guide is one collapsible block on its page: its title, then its text" {
    # Doxygen 1.9 cuts a <details> at each blank line (a "Hint 1" that opens to nothing, the
    # text under an unlabelled "Details"): common/tools/docs-md-filter passes the opening
    # and closing lines on as raw HTML. The guide's hints are read as the hint tool reads them.
    local step
    for step in "${STEPS[@]}"; do
        run python3 - "$REPO_ROOT" "$HTML/$(step_page "$step")" "$step" <<'PY'
import re, sys
sys.dont_write_bytecode = True
top, page, step = sys.argv[1:]
sys.path.insert(0, top + '/common/tools')
import html, workshop
hints = workshop.read_hints(workshop.find_step(step, workshop.Path(top)).readme)
text = open(page).read()
blocks = re.findall(r'<details>(.*?)</details>', text, re.S)
shown = [re.match(r'\s*<summary>(.*?)</summary>(.*)', b, re.S) for b in blocks]
want = [f'Hint {h.number}: {h.title}' for h in hints]
got = [html.unescape(m.group(1)) if m else '(no summary)' for m in shown]
if got != want:
    sys.exit(f'{len(blocks)} block(s) titled {got}, for the hints {want}')
empty = [t for t, m in zip(got, shown) if not re.sub(r'<[^>]*>|\s', '', m.group(2))]
if not hints or empty:
    sys.exit(f'blocks with no text: {empty}' if hints else 'the guide has no hints')
PY
        [ "$status" -eq 0 ] || fail "$(step_page "$step"): $output"
    done
}

@test "the Markdown filter keeps a hint's text inside its <details>, line for line" {
    local dir=$BATS_TEST_TMPDIR
    printf '%s\n' '<details><summary>Hint 1: a "title"</summary>' '' 'Text with `code`.' '' \
                  '</details>' '```' '<details>' '```' >"$dir/page.md"
    run "$REPO_ROOT/common/tools/docs-md-filter" "$dir/page.md"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 6 ] || fail "lines were added or lost:" "$output"   # (blank lines not counted)
    [ "${lines[0]}" = '\htmlonly[block]<details><summary>Hint 1: a "title"</summary>\endhtmlonly' ] ||
        fail "opening: ${lines[0]}"
    [ "${lines[1]}" = 'Text with `code`.' ] || fail "text: ${lines[1]}"
    [ "${lines[2]}" = '\htmlonly[block]</details>\endhtmlonly' ] || fail "closing: ${lines[2]}"
    [ "${lines[4]}" = '<details>' ] || fail "a fenced block was changed: ${lines[4]}"
}

@test "make deps installs the browser of the check below, as optional packages" {
    # So that `make test` (which runs `make deps` first) really opens the hints in CI.
    local optional
    optional=$(sed -n '/^OPTIONAL=(/,/^)/p' "$REPO_ROOT/common/tools/install-deps" | sed 's/#.*//')
    [[ " $(echo $optional) " == *" chromium chromium-driver "* ]] ||
        fail "common/tools/install-deps: chromium and chromium-driver are not in OPTIONAL:" "$optional"
}

@test "in a browser, every hint of every step page opens to its text" {
    # Headless Chromium, driven through chromedriver (tests/docs/browser-hints). Both are
    # optional dependencies (`make deps` installs them); missing, they are installed here.
    if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
        "$REPO_ROOT/common/tools/install-deps" chromium chromium-driver >/dev/null 2>&1 || true
    fi
    if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
        skip "no browser: chromium and chromium-driver could not be installed (apt-get install chromium chromium-driver)"
    fi
    run timeout -k 5 180 "$BATS_TEST_DIRNAME/browser-hints" --deadline 150 "$HTML"
    # Status 2: installed, but it would not start here (seen in a bare chroot: "unable to
    # connect to renderer"). That says nothing of the site: skip, saying why.
    [ "$status" -ne 2 ] || skip "the browser is installed but would not start here: ${output##*: }"
    [ "$status" -eq 0 ] || fail "$output"
    [[ "$output" == *"step pages, "*" hints, 0 problem(s)"* ]] || fail "$output"
}
