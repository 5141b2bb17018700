#!/usr/bin/env bats
# make watch STEP=NN: runs the grader again whenever the step's files change.

load helpers

setup() {
    CHECKOUT=$BATS_TEST_TMPDIR/checkout
    make_checkout "$CHECKOUT"
    LOG=$BATS_TEST_TMPDIR/runs
    : >"$LOG"
}

# watch_twice ARGS...: starts watch (2 runs at most), waits for its first run, changes the
# step's file, and waits (bounded) for the second run and for watch to end.
watch_twice() {
    timeout 60 "$CHECKOUT/common/tools/watch" --step 02 --max-runs 2 "$@" \
        -- sh -c 'echo run >>"$0"' "$LOG" >"$BATS_TEST_TMPDIR/out" 2>&1 &
    local pid=$! n
    for n in $(seq 100); do [ -s "$LOG" ] && break; sleep 0.1; done
    [ "$(wc -l <"$LOG")" -eq 1 ] || fail "no first run"
    sleep 0.5
    # An editor's swap file is no change.
    echo x >"$CHECKOUT/steps/02-mount/.mount.cpp.swp"
    sleep 1
    [ "$(wc -l <"$LOG")" -eq 1 ] || fail "a swap file started a run"
    echo '// a change' >>"$CHECKOUT/steps/02-mount/mount.cpp"
    wait "$pid" || fail "watch failed or did not stop:" "$(cat "$BATS_TEST_TMPDIR/out")"
    [ "$(wc -l <"$LOG")" -eq 2 ] || fail "expected 2 runs, got $(wc -l <"$LOG")"
}

@test "polling: a change of the step's file runs the command again" {
    watch_twice --poll --interval 0.1
    grep -q 'polling every 0.1 s' "$BATS_TEST_TMPDIR/out" || fail "$(cat "$BATS_TEST_TMPDIR/out")"
}

@test "inotify: a change of the step's file runs the command again" {
    command -v inotifywait >/dev/null || skip "inotifywait (inotify-tools) is not installed"
    watch_twice
    grep -q '(inotify)' "$BATS_TEST_TMPDIR/out" || fail "$(cat "$BATS_TEST_TMPDIR/out")"
}

@test "make watch runs the grader on the step, with INTERVAL and MAX_RUNS" {
    run make -n -s -C "$REPO_ROOT" watch STEP=02 INTERVAL=3 MAX_RUNS=1
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "common/tools/watch --step '02'" "--interval 3" "--max-runs 1" "common/tools/grade" "--step '02'"
}

@test "Ctrl-C stops it quietly" {
    # A background job of a script starts with SIGINT ignored, which bash cannot trap; at a
    # terminal, Ctrl-C reaches a command that takes it: as here, with env --default-signal.
    env --default-signal=INT "$CHECKOUT/common/tools/watch" --step 02 --poll -- true \
        >"$BATS_TEST_TMPDIR/out" 2>&1 &
    pid=$!
    sleep 1
    kill -INT "$pid"
    for n in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid"
        fail "SIGINT did not stop it" "$(cat "$BATS_TEST_TMPDIR/out")"
    fi
    wait "$pid" || fail "exit status $?:" "$(cat "$BATS_TEST_TMPDIR/out")"
    grep -q 'watch: stopped' "$BATS_TEST_TMPDIR/out" || fail "$(cat "$BATS_TEST_TMPDIR/out")"
}

@test "an unknown step: one line naming the steps of steps/steps.json, exit status 2" {
    run "$CHECKOUT/common/tools/watch" --step 9 -- true
    [ "$status" -eq 2 ] || fail "exit status $status" "$output"
    [ "${#lines[@]}" -eq 1 ] || fail "not one line" "$output"
    assert_contains "watch: There is no step '9'" "01-setup, 02-mount"
}
