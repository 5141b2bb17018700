#!/usr/bin/env bats
# Step 1 checks: setup_volume() seen through the whole runtime.
#
# $CONTAINER is the runtime built from YOUR steps/01-setup/setup.cpp and the reference
# code of the other steps (the grader sets it). Each check looks at the host side (the
# sandbox's $HOST, where the sources are) and at the container side (what the command
# inside sees). The image ($ROOTFS) is never modified: each container gets its own
# writable layer over it, where the mount points missing from the image are made.
# A "# hint: N" line names the hint of hints.md to read when the check below it fails.
#
# Run by hand (as root): common/tools/in-namespace bats steps/01-setup/setup.bats
# (`make grade STEP=01-setup` does it for you).

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() { sandbox_setup; }
teardown() { sandbox_teardown; }

# hint: 3
@test "a missing -v source and its missing parents are created with mode 0755 under umask 077" {
    umask 077
    container_run -v "$HOST/new/data:/data" "$ROOTFS" sh -c 'stat -c %a /data && touch /data/ok'
    assert_success
    # Host side: the source and its parent exist, each mode exactly 0755.
    [ -d "$HOST/new/data" ] ||
        fail "expected: the missing source $HOST/new/data to be created as a directory" \
        "happened:" "$(_last_run)"
    assert_mode "$HOST/new" 755
    assert_mode "$HOST/new/data" 755
    # Container side: the volume is the new directory, and usable.
    assert_output "755"
    assert_exists "$HOST/new/data/ok"
}

# hint: 3
@test "an existing source directory keeps its mode 0700" {
    mkdir -m 0700 "$HOST/private"
    container_run -v "$HOST/private:/data" "$ROOTFS" stat -c %a /data
    assert_success
    assert_mode "$HOST/private" 700
    assert_output "700"
}

# hint: 4
@test "a file source gets an empty file as mount point, and the container reads the file" {
    echo "setting=1" >"$HOST/app.conf"
    container_run -v "$HOST/app.conf:/etc/app.conf" "$ROOTFS" \
        sh -c 'if [ -f /etc/app.conf ]; then cat /etc/app.conf; else echo "/etc/app.conf is not a file"; fi'
    assert_success
    assert_output "setting=1"
    assert_file_content "$HOST/app.conf" "setting=1"
}

# hint: 4
@test "missing parents of the mount point are created with mode 0755 under umask 077, and recorded" {
    mkdir "$HOST/data" "$HOST/inner"
    snapshot_dir "$HOST/data"
    umask 077
    # /srv/www/data is missing from the image; /srv/www/data/made/for/inner is made inside
    # the first volume, that is in its source on the host: $HOST/data/made/for/inner.
    container_run -v "$HOST/data:/srv/www/data" -v "$HOST/inner:/srv/www/data/made/for/inner" \
        "$ROOTFS" stat -c '%a %n' /srv /srv/www /srv/www/data/made /srv/www/data/made/for
    assert_success
    assert_output "755 /srv
755 /srv/www
755 /srv/www/data/made
755 /srv/www/data/made/for"
    # Host side: after the run, the source holds nothing new (step 3 removes what step 1
    # recorded as created: a path missing from that list stays behind).
    assert_dir_unchanged "$HOST/data"
    assert_tree_unchanged                          # and the image is never modified
}

# hint: 1
@test "a --mount with a missing source is refused with a message naming it, and creates nothing" {
    container_run --mount "type=bind,source=$HOST/missing,target=/data" "$ROOTFS" echo ran
    assert_status 125
    assert_one_error_line "source path does not exist: $HOST/missing"
    assert_output ""
    # Host side: the source was not created, the image is as it was.
    assert_not_exists "$HOST/missing"
    assert_tree_unchanged
}
