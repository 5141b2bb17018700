#!/usr/bin/env bats
# What the pages tell a learner: the two commands of a newcomer; every `make` command typed as
# oneself (the tools ask for sudo when they need it), never `sudo make`; `$` prompts for what a
# student types; a way in for macOS and Windows (the dev container); and, in a student
# release, pages that speak of that copy only.
#
#   bats tests/docs/learners.bats       (no root, no build: it reads the pages)

bats_require_minimum_version 1.5.0

REPO_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

# The pages a student reads: the README, the steps' guides (those of steps/steps.json), the
# course pages.
mapfile -t GUIDES < <("$REPO_ROOT/common/tools/workshop" list --guides)
PAGES=(README.md steps/README.md "${GUIDES[@]}"
       docs/named-volumes.md docs/how-it-works.md docs/troubleshooting.md docs/developers.md)

# fail, assert_success, assert_output, ...: Debian's bats-support and bats-assert.
bats_load_library bats-support
bats_load_library bats-assert

# pages_python CODE: runs CODE with `pages`, {path: text} of PAGES, and `top` (the checkout);
# what it prints is the list of problems, one a line.
pages_python() {
    [ "${#GUIDES[@]}" -gt 0 ] || fail "common/tools/workshop list --guides named no guide"
    run python3 - "$REPO_ROOT" "${PAGES[@]}" <<EOF
import re, sys
from pathlib import Path
sys.dont_write_bytecode = True
top = Path(sys.argv[1])
pages = {name: (top / name).read_text() for name in sys.argv[2:]}
def console_blocks(text):
    """The lines of each fenced console block of a page, with their line numbers."""
    blocks, block, fence = [], None, False
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(r'\s*(\`\`\`|~~~)', line):
            if block is not None:
                blocks.append(block)
                block = None
            elif line.strip().lstrip('\`~') == 'console':
                block = []
            fence = not fence
        elif block is not None:
            block.append((number, line))
    return blocks
$1
EOF
}

@test "the README gives a newcomer two commands: make demo and make test" {
    run python3 - "$REPO_ROOT/README.md" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
section = re.search(r'^## Quick start\n(.*?)^## ', text, re.M | re.S).group(1)
block = re.search(r'^```\w*\n(.*?)^```', section, re.M | re.S).group(1)
print(block.strip())
EOF
    [ "$status" -eq 0 ] || fail "no Quick start section with a code block in README.md" "$output"
    [ "$output" = $'$ make demo\n$ make test' ] || fail "the Quick start commands are not exactly these two:" "$output"
}

@test "every page says to work as yourself, that the tools ask for sudo, and never sudo make" {
    pages_python '
for name, text in pages.items():
    flat = " ".join(text.split())
    for words in ("as yourself", "ask for sudo when they need it"):
        if words not in flat:
            print(f"{name}: does not say \"{words}\"")
    # Each `sudo make` the prose names comes in a sentence that warns against it.
    for match in re.finditer(r"sudo make", flat):
        sentence = re.split(r"(?<=[.:;])\s", flat[:match.start()])[-1] + flat[match.start():match.end() + 40]
        if not re.search(r"\b(never|not|no|without|would)\b", sentence, re.I):
            print(f"{name}: invites sudo make: ...{sentence}...")
    for invitation in ("as root, like", "As root (", "as root, in a clone"):
        if invitation in flat:
            print(f"{name}: invites a student to work as root: \"{invitation}\"")'
    [ "$status" -eq 0 ] || fail "$output"
    [ -z "$output" ] || fail "$output"
}

@test "a student types after a \$ prompt; a # prompt only in the root shell that sudo opened" {
    pages_python '
for name, text in pages.items():
    for block in console_blocks(text):
        root_shell = False
        for number, line in block:
            where = f"{name}:{number}: {line.strip()}"
            if line.startswith("$ "):
                if re.match(r"\$ sudo\s+make\b", line):
                    print(f"{where}: sudo before make")
                if re.match(r"\$ sudo\s+(unshare|bash|-i|-s)\b", line):
                    root_shell = True
            elif line.startswith("# "):
                if not root_shell:
                    print(f"{where}: a # prompt outside the root shell of a sudo line")
                if re.match(r"#\s+make\b", line):
                    print(f"{where}: make typed as root")
    # Every make command shown in a console block has its $ prompt.
    for block in console_blocks(text):
        for number, line in block:
            if re.match(r"\s*make\s", line):
                print(f"{name}:{number}: {line.strip()}: no prompt")'
    [ "$status" -eq 0 ] || fail "$output"
    [ -z "$output" ] || fail "$output"
}

@test "the README shows macOS and Windows users a way in: a Linux VM, WSL2, the dev container" {
    run python3 - "$REPO_ROOT/README.md" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
section = re.search(r'^## [^\n]*macOS[^\n]*Windows[^\n]*\n(.*?)^## ', text, re.M | re.S)
if not section:
    sys.exit('README.md has no section for macOS and Windows users')
for words in ('virtual machine', 'WSL', '.devcontainer/devcontainer.json', 'make doctor'):
    if words not in section.group(1):
        print(f'the macOS/Windows section does not mention {words}')
EOF
    [ "$status" -eq 0 ] && [ -z "$output" ] || fail "$output"
}

@test "the dev container: valid JSON, Debian 12, privileged, and it runs make targets the README names" {
    run python3 - "$REPO_ROOT" <<'EOF'
import json, re, subprocess, sys
from pathlib import Path
top = Path(sys.argv[1])
config = json.loads((top / '.devcontainer/devcontainer.json').read_text())   # strict JSON: no comments
image = config.get('image', '')
if not re.search(r'(bookworm|debian:?-?12)\b', image):
    print(f'the image is not Debian 12: {image!r}')
if config.get('privileged') is not True:
    print('the container is not privileged: it could not mount')
commands = ' && '.join(str(config.get(key, '')) for key in
                       ('onCreateCommand', 'updateContentCommand', 'postCreateCommand'))
if not re.search(r'(^|&&\s*)make deps\b', str(config.get('postCreateCommand', ''))):
    print(f'postCreateCommand does not run make deps: {config.get("postCreateCommand")!r}')
help_text = subprocess.run(['make', '-s', '-C', str(top), 'help'], capture_output=True, text=True).stdout
targets = {line.split()[0] for line in help_text.splitlines() if line and not line[0].isspace()}
readme = (top / 'README.md').read_text()
for target in re.findall(r'\bmake\s+([a-z][\w-]*)', commands):
    if target not in targets:
        print(f'the dev container runs make {target}, which make help does not list')
    if f'make {target}' not in readme:
        print(f'the dev container runs make {target}, which the README does not name')
EOF
    [ "$status" -eq 0 ] && [ -z "$output" ] || fail "$output"
}

@test "what the pages say in a student release speaks of that copy only" {
    # The filter of common/tools/student-release (workshop.release_markdown), applied to
    # every Markdown page of the checkout: no solutions/ and no FROM=solutions are left (the
    # release itself is checked in tests/tools/student-release.bats).
    run python3 - "$REPO_ROOT" <<'EOF'
import re, subprocess, sys
from pathlib import Path
sys.dont_write_bytecode = True
top = Path(sys.argv[1])
sys.path.insert(0, str(top / 'common/tools'))
import workshop as release
names = subprocess.run(['git', '-C', str(top), 'ls-files', '*.md', '*.dot'], capture_output=True,
                       text=True).stdout.split()
if 'README.md' not in names:
    sys.exit('git lists no README.md: is this a git checkout?')
for name in names:
    if name.startswith('solutions/'):
        continue
    text = (top / name).read_text()
    shown = release.release_markdown(text, name) if name.endswith('.md') else text
    for number, line in enumerate(shown.splitlines(), 1):
        if re.search(r'solutions/|FROM=solutions|grade-selfcheck|make solution\b', line):
            print(f'{name}: {line.strip()}')
EOF
    [ "$status" -eq 0 ] || fail "$output"
    [ -z "$output" ] || fail "left in the pages of a student release:" "$output"
}
