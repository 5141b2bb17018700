#!/usr/bin/env bats
# make doctor: checks the machine, prints ✓/✗ with the command that installs what is missing.

load helpers

@test "on a machine set up with make deps, everything required is there" {
    [ "$(id -u)" -eq 0 ] || skip "the kernel probes need root"
    run make -s -C "$REPO_ROOT" doctor
    [ "$status" -eq 0 ] || fail "$output"
    for item in root "mount namespaces" "pivot_root(2)" "openat2(2)" "mount_setattr(2)" \
                "busybox (static)" "packages of make deps"; do
        [[ "$output" == *"✓ $item"* ]] || fail "no ✓ for $item" "$output"
    done
    assert_contains "Everything required is there."
}

@test "a missing package: ✗, the command that installs it, and a non-zero exit" {
    # A dpkg that has every package of make deps (common/tools/install-deps) but bats,
    # libgtest-dev and chromium.
    bin=$BATS_TEST_TMPDIR/bin
    mkdir "$bin"
    ln -s "$(python3 -c 'import sys; print(sys.executable)')" "$bin/python3"
    for name in cmake make g++ readelf unshare pivot_root busybox sudo env sh bash true \
                dirname sed grep id; do
        path=$(type -P "$name") && ln -s "$path" "$bin/$name"
    done
    printf '%s\n' '#!/bin/sh' 'shift 2' \
        'for p; do case $p in bats|libgtest-dev|chromium) ;; *) echo "installed $p" ;; esac; done' \
        >"$bin/dpkg-query"
    chmod +x "$bin/dpkg-query"
    run env PATH="$bin" "$TOOLS/doctor"
    [ "$status" -eq 1 ] || fail "exit status $status" "$output"
    assert_contains "✗ packages of make deps" "missing: libgtest-dev, bats" \
        "install: apt-get install -y libgtest-dev bats" \
        "optional packages" "missing: chromium (optional)" "install: apt-get install -y chromium" \
        "1 required item missing: packages of make deps" \
        "apt-get install -y bats libgtest-dev   (or: make deps)"
    [[ "$output" != *"bats libgtest-dev chromium"* ]] || fail "chromium counted as required" "$output"
}

@test "a dynamically linked busybox is refused" {
    bin=$BATS_TEST_TMPDIR/bin
    mkdir "$bin"
    ln -s "$(command -v python3)" "$bin/python3"
    run env PATH="$bin:$PATH" BUSYBOX="$(readlink -f "$(command -v ls)")" "$TOOLS/doctor"
    [ "$status" -eq 1 ] || fail "$output"
    assert_contains "✗ busybox (static)" "is dynamically linked" "apt-get install -y busybox-static"
}

@test "the kernel probe really tries the system calls" {
    [ "$(id -u)" -eq 0 ] || skip "needs root"
    run unshare -m --propagation private "$TOOLS/doctor" --probe
    [ "$status" -eq 0 ] || fail "$output"
    assert_contains "openat2 ok" "mount_setattr ok" "pivot_root ok"
}
