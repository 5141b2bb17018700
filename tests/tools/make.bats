#!/usr/bin/env bats
# The tools' make targets are listed by `make help`, with the variables they take.

load helpers

@test "make help lists every tool's target" {
    run make -s -C "$REPO_ROOT" help
    [ "$status" -eq 0 ] || fail "$output"
    for target in progress hint reset watch doctor grade-all; do
        [[ "$output" == *"$target "* ]] || fail "make help does not list $target" "$output"
    done
    assert_contains "ALL=1" "N=3" "YES=1" "INTERVAL=" "SUBMISSIONS=DIR"
    if [ -d "$REPO_ROOT/solutions" ]; then
        assert_contains "solution " "student-release " "DIFF=1" "FORCE=1" "DEST=DIR" "FROM=solutions"
    else
        # A student release: what needs the reference sources is not offered.
        [[ "$output" != *solution* ]] || fail "make help offers what needs solutions/" "$output"
    fi
}

@test "every tool answers --help" {
    local tool words
    for tool in workshop "workshop progress" "workshop hint" "workshop reset" "workshop solution" \
                "workshop check" "workshop classroom" watch doctor grade-all student-release; do
        read -r -a words <<<"$tool"
        run "$TOOLS/${words[0]}" "${words[@]:1}" --help
        [ "$status" -eq 0 ] || fail "$tool --help: $output"
        [ -n "$output" ] || fail "$tool --help says nothing"
    done
}

@test "make test-e2e FILTER=cli runs the file cli.bats; a FILTER that matches nothing says what it is" {
    [ "$(id -u)" -eq 0 ] || skip "the e2e suite needs root"
    [ -x "$REPO_ROOT/images/busybox/bin/busybox" ] || skip "no image: make image"
    run make -s -C "$REPO_ROOT" help
    assert_contains "FILTER=cli runs tests/e2e/cli.bats"
    run make -n -s -C "$REPO_ROOT" test-e2e FILTER=cli
    [[ "$output" == *"FILTER='cli'"*"run-tests e2e"* ]] || fail "make test-e2e does not pass FILTER on" "$output"
    tests=$(grep -c '^@test ' "$REPO_ROOT/tests/e2e/cli.bats")
    for filter in cli cli.bats; do
        run outside_bats env FILTER="$filter" "$TOOLS/run-tests" e2e
        [ "$status" -eq 0 ] || fail "FILTER=$filter: exit status $status" "$output"
        assert_contains "FILTER=$filter: the file(s) cli.bats" $'\n'"$tests passed, 0 failed"
    done
    run outside_bats env FILTER=no-such-test-or-file "$TOOLS/run-tests" e2e
    [ "$status" -ne 0 ] || fail "a FILTER that matches nothing passed" "$output"
    assert_contains "FILTER=no-such-test-or-file matches no test name (it is a regex on the names of the tests) and no file; the files are: cli.bats "
}
