#!/usr/bin/env bats
# make doctor: checks the machine, prints ✓/✗ with the command that installs what is missing.

load helpers

@test "on a machine set up with make deps, everything required is there" {
    [ "$(id -u)" -eq 0 ] || skip "the kernel probes need root"
    run make -s -C "$REPO_ROOT" doctor
    [ "$status" -eq 0 ] || fail "$output"
    for item in root "mount namespaces" "pivot_root(2)" "openat2(2)" "mount_setattr(2)" \
                cmake "g++ (C++20)" GoogleTest bats "busybox (static)"; do
        [[ "$output" == *"✓ $item"* ]] || fail "no ✓ for $item" "$output"
    done
    assert_contains "Everything required is there."
}

@test "a missing tool: ✗, the command that installs it, and a non-zero exit" {
    # A PATH with everything the doctor looks for but bats and doxygen.
    bin=$BATS_TEST_TMPDIR/bin
    mkdir "$bin"
    ln -s "$(python3 -c 'import sys; print(sys.executable)')" "$bin/python3"
    for name in cmake make g++ readelf unshare busybox dot git inotifywait sudo env sh bash true; do
        path=$(type -P "$name") && ln -s "$path" "$bin/$name"
    done
    run env PATH="$bin" "$TOOLS/doctor"
    [ "$status" -eq 1 ] || fail "exit status $status" "$output"
    assert_contains "✗ bats" "install: apt-get install -y bats" \
        "doxygen (make docs)" "not found (optional)" "install: apt-get install -y doxygen" \
        "1 required item missing: bats" "apt-get install -y bats"
    [[ "$output" != *"required item missing: bats, doxygen"* ]] || fail "doxygen counted as required" "$output"
}

@test "a dynamically linked busybox is refused" {
    bin=$BATS_TEST_TMPDIR/bin
    mkdir "$bin"
    ln -s "$(command -v python3)" "$bin/python3"
    run env PATH="$bin:$PATH" BUSYBOX="$(command -v python3)" "$TOOLS/doctor"
    [ "$status" -eq 1 ] || fail "$output"
    assert_contains "✗ busybox (static)" "is linked dynamically" "apt-get install -y busybox-static"
}

@test "the kernel probe really tries the system calls" {
    [ "$(id -u)" -eq 0 ] || skip "needs root"
    run unshare -m --propagation private "$TOOLS/doctor" --probe
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "openat2 ok" "mount_setattr ok" "pivot_root ok"
}
