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
    for tool in progress hint reset solution watch doctor grade-all student-release; do
        run "$TOOLS/$tool" --help
        [ "$status" -eq 0 ] || fail "$tool --help: $output"
        [ -n "$output" ] || fail "$tool --help says nothing"
    done
}
