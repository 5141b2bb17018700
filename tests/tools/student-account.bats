#!/usr/bin/env bats
# A student at their own account, with sudo: every make target runs as them, sudo asks for
# the password at most once per command (on the terminal, before the checks), a run that
# cannot get root stops before any check and records nothing, and nothing of root's is
# left in their checkout, nor any mount.
#
# setup_file makes an ordinary user with sudo that asks for a password, and a checkout of
# theirs (make_checkout: this one, with the untouched skeletons, built once); teardown_file
# removes the user, their sudoers file and their directory, whatever happened.
# Commands run as the student in a clean environment, either on a pseudo-terminal where
# the password is typed when sudo asks (tests/tools/on-terminal.exp), or without any
# terminal (setsid).

load helpers

PROMPT='[sudo] password for the student account test: '

# not_here: why these tests do not run on this machine (nothing when they do). A student's
# own `make test` (root through sudo) makes no user on their machine: it runs where make
# test runs as root, as in CI.
not_here() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "makes a user: needs root"
    elif [ -n "${SUDO_UID:-}" ]; then
        echo "makes a user: runs only where make test runs as root (CI), not through sudo"
    fi
}

# A skip in setup_file is a failure for Bats before 1.9 (Debian 12 has 1.8.2): setup_file
# notes the reason, and each test skips in setup.
setup_file() {
    export SKIP_REASON
    SKIP_REASON=$(not_here)
    [ -z "$SKIP_REASON" ] || return 0
    local tool
    for tool in sudo expect runuser setsid useradd; do
        command -v "$tool" >/dev/null || { echo "needs $tool: make deps installs it" >&2; return 1; }
    done
    [ -x "$REPO_ROOT/images/busybox/bin/busybox" ] || { echo "no image: make image" >&2; return 1; }

    export STUDENT=ws-student-$(printf '%04x%04x' "$RANDOM" "$RANDOM")
    export STUDENT_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    ! id "$STUDENT" >/dev/null 2>&1 || { echo "user $STUDENT exists already" >&2; return 1; }
    # Their home: under /tmp, where they can reach it (not under root's home, mode 0700).
    export STUDENT_HOME=$(mktemp -d /tmp/student-account.XXXXXX)
    export CLONE=$STUDENT_HOME/workshop
    useradd --home-dir "$STUDENT_HOME" --no-create-home --user-group --shell /bin/bash "$STUDENT"
    printf '%s:%s\n' "$STUDENT" "$STUDENT_PASSWORD" | chpasswd
    sudoers "ALL=(ALL:ALL) ALL"

    make_checkout "$CLONE"
    chown -R "$STUDENT:" "$STUDENT_HOME"
    chmod 0755 "$STUDENT_HOME"
    # Built once, as the student (Debug: the fastest to build).
    as_student "make -s build BUILD_TYPE=Debug JOBS=2 >/dev/null && make -s image >/dev/null" ||
        { echo "the student's checkout does not build: $output" >&2; return 1; }
}

setup() {
    [ -z "${SKIP_REASON:-}" ] || skip "$SKIP_REASON"
}

teardown_file() {
    [ -n "${STUDENT:-}" ] || return 0
    local pid
    for pid in $(ps -o pid= -u "$STUDENT" 2>/dev/null); do
        kill -KILL "$pid" 2>/dev/null || true
    done
    rm -f "/etc/sudoers.d/$STUDENT" "/run/sudo/ts/$STUDENT" "/var/lib/sudo/lectured/$STUDENT"
    userdel "$STUDENT" 2>/dev/null || true
    [ -z "${STUDENT_HOME:-}" ] || "$TOOLS/remove-tree" "$STUDENT_HOME"
}

# sudoers RULE: what sudo allows the student, e.g. "ALL=(ALL:ALL) ALL" (asks for the
# password) or "ALL=(ALL:ALL) NOPASSWD: ALL".
sudoers() {
    printf '%s %s\n' "$STUDENT" "$1" >"/etc/sudoers.d/$STUDENT.new"
    chmod 0440 "/etc/sudoers.d/$STUDENT.new"
    visudo -cq -f "/etc/sudoers.d/$STUDENT.new" || fail "sudoers rejects: $STUDENT $1"
    mv "/etc/sudoers.d/$STUDENT.new" "/etc/sudoers.d/$STUDENT"
    rm -f "/run/sudo/ts/$STUDENT"          # forget any password typed before
}

# student_argv COMMAND_LINE: sets argv to run COMMAND_LINE in the clone as the student, in
# a clean environment (nothing of this test's: Bats' variables, root's HOME), Debian's PATH.
student_argv() {
    argv=(runuser -u "$STUDENT" -- env -i HOME="$STUDENT_HOME" USER="$STUDENT"
        LOGNAME="$STUDENT" PATH=/usr/local/bin:/usr/bin:/bin:/usr/games LANG=C.UTF-8
        TERM=dumb NO_COLOR=1 SUDO_PROMPT="$PROMPT" bash -c "cd '$CLONE' && $1")
}

# as_student COMMAND_LINE: runs it as the student without a terminal (a new session has
# none); sets status and output (stdout and stderr together).
as_student() {
    local argv
    student_argv "$1"
    run setsid -w "${argv[@]}" </dev/null
}

# on_terminal COMMAND_LINE: runs it as the student on a pseudo-terminal, typing the
# password whenever sudo asks; sets status, output, and asked (how many times sudo asked).
on_terminal() {
    local argv
    student_argv "$1"
    run env PTY_PROMPT="$PROMPT" PTY_PASSWORD="$STUDENT_PASSWORD" PTY_TIMEOUT=600 \
        expect "$BATS_TEST_DIRNAME/on-terminal.exp" "${argv[@]}"
    asked=$(sed -n 's/^sudo asked for the password \([0-9]*\) times.*/\1/p' <<<"$output" | tail -n 1)
}

# assert_asked_at_most N: sudo asked for the password at most N times.
assert_asked_at_most() {
    [ -n "$asked" ] && [ "$asked" -le "$1" ] ||
        fail "sudo asked for the password ${asked:-?} times, expected at most $1" "$output"
}

# assert_nothing_of_roots: no file of root's in the clone, no check's scratch left.
assert_nothing_of_roots() {
    local found
    found=$(find "$CLONE" -user root | head -n 10)
    [ -z "$found" ] || fail "files of root's in the student's checkout:" "$found" "$output"
    found=$(find "$CLONE/build" -maxdepth 2 \( -name 'check-*' -o -name 'gtest-*.json' -o -name 'mountinfo-*' \) | head)
    [ -z "$found" ] || fail "the grader left its scratch files:" "$found"
}

mount_table() { awk '{ print $5 }' /proc/self/mountinfo | sort; }

@test "password sudo, on a terminal: grade, hint, progress, reset, test-e2e; one password each, nothing of root's left" {
    sudoers "ALL=(ALL:ALL) ALL"
    local mounts_before
    mounts_before=$(mount_table)

    on_terminal "make grade STEP=01-setup FROM=solutions"
    [ "$status" -eq 0 ] || fail "exit status $status" "$output"
    [[ "$output" =~ [1-9][0-9]*" passed, 0 failed" ]] || fail "not every check passed" "$output"
    assert_asked_at_most 1
    [ "$asked" -eq 1 ] || fail "sudo never asked: was root needed at all?" "$output"
    assert_nothing_of_roots

    # The student's own step 1, graded and recorded.
    as_student "cp solutions/01-setup/setup.cpp steps/01-setup/setup.cpp"
    on_terminal "make grade STEP=01"
    [ "$status" -eq 0 ] || fail "exit status $status" "$output"
    assert_asked_at_most 1
    assert_nothing_of_roots

    on_terminal "make hint STEP=01"
    [ "$status" -eq 0 ] && [[ "$output" == *"Hint 1 of"* ]] || fail "$output"
    assert_asked_at_most 0
    on_terminal "make progress"
    [ "$status" -eq 0 ] && [[ "$output" == *"01-setup "*"passing"*"15/15"*"1/"* ]] || fail "$output"
    assert_asked_at_most 0
    on_terminal "make reset STEP=01 YES=1"
    [ "$status" -eq 0 ] && [[ "$output" == *"is the skeleton again"* ]] || fail "$output"
    assert_asked_at_most 0

    on_terminal "make test-e2e FILTER='directory volume'"
    [ "$status" -eq 0 ] || fail "exit status $status" "$output"
    [[ "$output" =~ [1-9][0-9]*" passed, 0 failed" ]] || fail "$output"
    assert_asked_at_most 1
    assert_nothing_of_roots
    [ "$(mount_table)" = "$mounts_before" ] || fail "the mount table changed"
}

@test "Ctrl-C in the middle of a grade: no file of root's, no scratch left, no score" {
    sudoers "ALL=(ALL:ALL) NOPASSWD: ALL"
    as_student "make -s reset STEP=01 YES=1 && rm -f build/grade-state.json"
    PTY_INTERRUPT='✗' on_terminal "make grade STEP=01"
    [ "$status" -ne 0 ] && [[ "$output" == *"interrupted"* ]] || fail "the grade was not interrupted" "$output"
    assert_nothing_of_roots
    sleep 1                    # a check still running as root would write now
    assert_nothing_of_roots
    [ ! -e "$CLONE/build/grade-state.json" ] || fail "the interrupted grade recorded a score"
}

# assert_nothing_graded: no check was built or run, no score recorded.
assert_nothing_graded() {
    [[ "$output" != *"✓"* && "$output" != *"✗"* && "$output" != *building* ]] ||
        fail "checks were run or built:" "$output"
    [ ! -e "$CLONE/build/grade-state.json" ] || fail "a score was recorded"
}

@test "at sudo's prompt, Ctrl-C is an interrupt, and three wrong passwords one line; nothing graded" {
    sudoers "ALL=(ALL:ALL) ALL"
    as_student "rm -f build/grade-state.json"
    PTY_INTERRUPT=$PROMPT on_terminal "make grade STEP=01"
    [ "$status" -ne 0 ] && [[ "$output" == *"interrupted"* ]] || fail "the grade was not interrupted" "$output"
    [[ "$output" != *"did not let you in"* ]] || fail "an interrupt taken for a refusal:" "$output"
    assert_nothing_graded

    STUDENT_PASSWORD=wrong on_terminal "make grade STEP=01"
    [ "$status" -ne 0 ] || fail "it graded without root" "$output"
    # One line: the refusal, sudo's reason in it, and no count of checks (none ran).
    [[ "$output" == *"grade: sudo did not let you in (sudo: 3 incorrect password attempts): check your password"* ]] ||
        fail "$output"
    [[ "$output" != *" passed, "* ]] || fail "a count of checks that never ran:" "$output"
    assert_nothing_graded
    assert_nothing_of_roots
}

@test "sudo make: it works, and gives every file back to the student" {
    sudoers "ALL=(ALL:ALL) ALL"
    on_terminal "sudo make -s grade STEP=01-setup FROM=solutions"
    [ "$status" -eq 0 ] || fail "exit status $status" "$output"
    assert_asked_at_most 1
    assert_nothing_of_roots
}

@test "files of root's left by an earlier sudo: one line with the command that gives them back" {
    sudoers "ALL=(ALL:ALL) NOPASSWD: ALL"
    mkdir -p "$CLONE/build/grade"
    chown root: "$CLONE/build/grade"
    as_student "make progress"
    [ "$status" -ne 0 ] && [[ "$output" == *"sudo chown -R $STUDENT: build"* ]] || fail "$output"
    # The tools called directly: the same advice, no traceback.
    as_student "common/tools/grade --step 01 --from solutions"
    [ "$status" -ne 0 ] && [[ "$output" == *"sudo chown -R $STUDENT: build"* ]] || fail "$output"
    [[ "$output" != *Traceback* ]] || fail "$output"
    chown "$STUDENT:" "$CLONE/build/grade"
    as_student "make progress"
    [ "$status" -eq 0 ] || fail "$output"
}

@test "passwordless sudo, no terminal: the grade works" {
    sudoers "ALL=(ALL:ALL) NOPASSWD: ALL"
    as_student "make grade STEP=01-setup FROM=solutions"
    [ "$status" -eq 0 ] || fail "exit status $status" "$output"
    [[ "$output" =~ [1-9][0-9]*" passed, 0 failed" ]] || fail "$output"
    assert_nothing_of_roots
}

@test "password sudo, no terminal: one line before any check, a failure, no score recorded" {
    # A passing grade of step 1, recorded: a run that cannot grade must leave it alone.
    sudoers "ALL=(ALL:ALL) NOPASSWD: ALL"
    as_student "cp solutions/01-setup/setup.cpp steps/01-setup/ && make -s grade STEP=01 &&
        cp build/grade-state.json build/state.before"
    [ "$status" -eq 0 ] || fail "$output"
    sudoers "ALL=(ALL:ALL) ALL"
    as_student "make grade STEP=01"
    [ "$status" -ne 0 ] || fail "it graded without root" "$output"
    [[ "$output" == *"sudo needs your password, and there is no terminal"* ]] || fail "$output"
    [[ "$output" != *" passed, "* ]] || fail "a count of checks that never ran:" "$output"
    [[ "$output" != *"✓"* && "$output" != *"✗"* && "$output" != *building* ]] ||
        fail "checks were run or built:" "$output"
    as_student "cmp build/grade-state.json build/state.before"
    [ "$status" -eq 0 ] || fail "a score was recorded" "$output"

    as_student "make test-e2e FILTER='directory volume'"
    [ "$status" -ne 0 ] && [[ "$output" == *"sudo needs your password"* ]] || fail "$output"
    [[ "$output" != *" passed, "* ]] || fail "a count of tests that never ran:" "$output"
    as_student "make doctor"
    [[ "$output" == *"sudo needs your password, and there is no terminal"* ]] || fail "$output"
    [[ "$output" != *"needs Linux"* ]] || fail "the doctor blames the kernel:" "$output"
    assert_nothing_of_roots
}

@test "with every step done, the proofs of make test still pass: grade self-check and the tools' tests" {
    sudoers "ALL=(ALL:ALL) NOPASSWD: ALL"
    # The student's work: the reference in every step's file, step 1 graded.
    as_student "for file in solutions/0*/*.*; do cp \"\$file\" steps/\"\${file#solutions/}\"; done &&
        git status --short steps && make -s grade STEP=01"
    [ "$status" -eq 0 ] || fail "the student's step 1 does not pass" "$output"
    [ "$(grep -c '^ M steps/' <<<"$output")" -ge 5 ] || fail "not every step's file holds work" "$output"
    # (Step 02's proof: the same code path as every step's, with the fewest checks to run.)
    as_student "make grade-selfcheck STEP=02"
    [ "$status" -eq 0 ] || fail "$output"
    [[ "$output" =~ $'\n'[1-9][0-9]*" passed, 0 failed" ]] || fail "$output"
    # The tests of the tools that read the skeletons (the heavy ones left out; that no test
    # reads this checkout's steps/ instead is tests/tools/student-work.bats).
    as_student "FILTER='YES=1|own commits are passed over|untouched step|DIFF=1|destination that is not empty|grep finds no line|compiled reference|student.s file from this checkout' common/tools/run-tests tools"
    [ "$status" -eq 0 ] || fail "$output"
    [[ "$output" =~ $'\n'[1-9][0-9]*" passed, 0 failed" ]] || fail "$output"
    assert_nothing_of_roots
}

@test "through sudo (a student's own make test) every test of this file skips, with its reason" {
    # Bats 1.8 (Debian 12) counts a skip in setup_file as a failure: it must not be there.
    run outside_bats env SUDO_UID=1000 bats --tap "$BATS_TEST_FILENAME"
    [ "$status" -eq 0 ] || fail "exit status $status" "$output"
    tests=$(grep -c '^@test ' "$BATS_TEST_FILENAME")
    skipped=$(grep -c '^ok [0-9]* .* # skip makes a user: runs only where make test runs as root' <<<"$output")
    [ "$skipped" -eq "$tests" ] || fail "$skipped of $tests tests skipped" "$output"
}
