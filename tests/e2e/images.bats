#!/usr/bin/env bats
# Images: the busybox image `make image` builds, `container import` of a rootfs tarball,
# and images by name (under $CONTAINER_IMAGES) or by path.

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() {
    sandbox_setup
    export CONTAINER_IMAGES=$SANDBOX/images
}
teardown() { sandbox_teardown; }

@test "make image built a complete busybox image" {
    [ -x "$IMAGE/bin/busybox" ] || fail "Expected $IMAGE/bin/busybox."
    [ "$(readlink "$IMAGE/bin/sh")" = /bin/busybox ] || fail "Expected bin/sh -> /bin/busybox."
    local dir
    for dir in proc dev sys tmp etc root; do
        [ -d "$IMAGE/$dir" ] || fail "Expected the directory $dir in the image."
    done
    assert_mode "$IMAGE/tmp" 1777
    grep -q '^root:x:0:0:' "$IMAGE/etc/passwd" || fail "Expected root in etc/passwd."
    grep -q '^root:x:0:' "$IMAGE/etc/group" || fail "Expected root in etc/group."
    grep -q localhost "$IMAGE/etc/hosts" || fail "Expected localhost in etc/hosts."
    if readelf -l "$IMAGE/bin/busybox" | grep -q 'program interpreter'; then
        fail "Expected a static busybox (it runs without libraries)."
    fi
    container_run "$ROOTFS" sh -c 'id -u; whoami; ls /bin/sh'
    assert_success
    assert_output "0
root
/bin/sh"
}

@test "import a tarball made with tar from the busybox image, then run it by name" {
    tar -C "$IMAGE" -cf "$SANDBOX/busybox.tar" .
    container_cli import "$SANDBOX/busybox.tar" imported
    assert_success
    [ -x "$CONTAINER_IMAGES/imported/bin/busybox" ] || fail "Expected the image at $CONTAINER_IMAGES/imported."
    assert_mode "$CONTAINER_IMAGES/imported/tmp" 1777

    echo "from the host" >"$HOST/file"
    container_run -v "$HOST:/data" imported sh -c 'cat /data/file; echo hi from the imported image'
    assert_success
    assert_output "from the host
hi from the imported image"
    assert_not_exists "$CONTAINER_IMAGES/imported/data"
}

@test "import a gzip-compressed tarball (like an Alpine minirootfs)" {
    tar -C "$IMAGE" -czf "$SANDBOX/busybox.tar.gz" .
    container_cli import "$SANDBOX/busybox.tar.gz" compressed
    assert_success
    container_run compressed echo works
    assert_success
    assert_output "works"
}

@test "import onto an existing image name is refused and leaves it as it was" {
    tar -C "$IMAGE" -cf "$SANDBOX/busybox.tar" .
    container_cli import "$SANDBOX/busybox.tar" twice
    assert_success
    echo "mine" >"$CONTAINER_IMAGES/twice/marker"
    container_cli import "$SANDBOX/busybox.tar" twice
    assert_status 125
    assert_one_error_line "container:" "twice"
    assert_file_content "$CONTAINER_IMAGES/twice/marker" "mine"
}

@test "invalid image names are refused, and nothing is created" {
    tar -C "$IMAGE" -cf "$SANDBOX/busybox.tar" .
    local name
    for name in ../escape a/b .hidden -dash ""; do
        container_cli import "$SANDBOX/busybox.tar" "$name"
        assert_status 125
        assert_one_error_line "container:"
    done
    assert_not_exists "$SANDBOX/escape"
    assert_not_exists "$CONTAINER_IMAGES/a"
    [ ! -d "$CONTAINER_IMAGES" ] || [ -z "$(ls -A "$CONTAINER_IMAGES")" ] ||
        fail "Expected no image to be created; found: $(ls -A "$CONTAINER_IMAGES")"
}

@test "a broken tarball is refused, and no partial image is left" {
    tar -C "$IMAGE" -cf "$SANDBOX/busybox.tar" .
    # Cut in the middle of bin/busybox's data: tar stops with "Unexpected EOF".
    head -c $(($(stat -c %s "$SANDBOX/busybox.tar") / 2)) "$SANDBOX/busybox.tar" >"$SANDBOX/broken.tar"
    container_cli import "$SANDBOX/broken.tar" broken
    assert_status 125
    # tar says what is wrong first; the runtime's own line comes last.
    [[ "${stderr_lines[-1]}" == "container: "*broken.tar* ]] ||
        fail "Expected the last line on stderr to be the runtime's, naming broken.tar." "$(_last_run)"
    [ ! -d "$CONTAINER_IMAGES" ] || [ -z "$(ls -A "$CONTAINER_IMAGES")" ] ||
        fail "Expected no partial image; found: $(ls -A "$CONTAINER_IMAGES")"
}

@test "a missing tarball is refused with one line naming it" {
    container_cli import "$SANDBOX/no-such.tar" missing
    assert_status 125
    assert_one_error_line "container:" "$SANDBOX/no-such.tar" "No such file or directory"
}

@test "an image given by path (with a '/') is used as it is" {
    cp -a "$IMAGE" "$SANDBOX/by-path"
    cd "$SANDBOX"
    container_run ./by-path echo by-path
    assert_success
    assert_output "by-path"
}

@test "a path to something that is not a directory is refused" {
    echo "not an image" >"$SANDBOX/file-image"
    container_run "$SANDBOX/file-image" true
    assert_status 125
    assert_one_error_line "container:" "Not a directory"
}

@test "an image path holding ',' and ':' (the overlay's option separators) works" {
    # The overlay's options name the layers by descriptor, never by the user's path.
    cp -a "$IMAGE" "$SANDBOX/with,comma:colon"
    mkdir "$HOST/shared"
    echo "precious" >"$HOST/shared/keep.txt"
    container_run -v "$HOST/shared:/data" "$SANDBOX/with,comma:colon" cat /data/keep.txt
    assert_success
    assert_output "precious"
}
