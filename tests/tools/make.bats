#!/usr/bin/env bats
# The tools' make targets are listed by `make help`, with the variables they take.

load helpers

@test "make help lists every tool's target" {
    run make -s -C "$REPO_ROOT" help
    [ "$status" -eq 0 ] || fail "$output"
    for target in progress hint reset solution watch doctor grade-all student-release; do
        [[ "$output" == *"$target "* ]] || fail "make help does not list $target" "$output"
    done
    assert_contains "ALL=1" "N=3" "YES=1" "DIFF=1" "FORCE=1" "INTERVAL=" "SUBMISSIONS=DIR" "DEST=DIR"
}

@test "every tool answers --help" {
    for tool in progress hint reset solution watch doctor grade-all student-release; do
        run "$TOOLS/$tool" --help
        [ "$status" -eq 0 ] || fail "$tool --help: $output"
        [ -n "$output" ] || fail "$tool --help says nothing"
    done
}
