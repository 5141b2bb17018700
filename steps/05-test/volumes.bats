#!/usr/bin/env bats
# Step 05: your checks of the volume scenario, run from the outside against a whole
# `container`. Read steps/05-test/README.md first: each TODO below is a task there.
#
# They must pass against a correct runtime, and fail against broken runtimes (one fault
# each): `make grade STEP=05-test` says how many of them your checks catch, and which of
# the ones the guide describes they did not notice. The others are extra credit: add
# checks of your own for what else a volume must get right.
#
# What the helpers give you (tests/support/helpers.bash lists them all):
#   sandbox_setup / sandbox_teardown   a fresh temporary directory per check: $HOST (an
#                                      empty directory for the host side of volumes) and
#                                      $ROOTFS (a private copy of the image); the teardown
#                                      fails the check when the mount table changed
#   container_run ARGS...              runs "$CONTAINER run ARGS..." and sets $status,
#                                      $output (stdout) and $stderr
#   container_start / container_wait   the same, in the background
#   make_fifo / read_fifo / write_fifo to meet a running container at a point of its command
#   sandbox_mount ARGS... TARGET       mounts something for the check; the teardown
#                                      unmounts it again
#   assert_success, assert_failure, assert_output, assert_file_content, assert_mode,
#   assert_exists, assert_not_exists, assert_mounts_unchanged, assert_tree_unchanged,
#   snapshot_dir / assert_dir_unchanged (a directory exactly as it was), fail
#
# Each check below fails until you write it: replace the `fail "TODO ..."` line with the
# check itself. Add as many checks of your own as you like.

load "${REPO_ROOT:-$BATS_TEST_DIRNAME/../..}/tests/support/helpers"

setup() { sandbox_setup; }
teardown() { sandbox_teardown; }

@test "a file written on the host is read in the container" {
    # TODO 1: Write a file into "$HOST", run a container with "$HOST" as a volume and
    #         `cat` the file from inside; check the run succeeded and printed the content.
    fail "TODO 1: this check is not written yet"
}

@test "a file made in the container is seen on the host" {
    # TODO 2: Run a container that writes a file into its volume (sh -c '... > ...'),
    #         then check, on the host once it has exited, that the file is in "$HOST"
    #         with that content.
    fail "TODO 2: this check is not written yet"
}

@test "afterwards nothing is left mounted, nor anything the runtime made" {
    # TODO 3: Run a container with a volume nested inside another one, whose mount point
    #         does not exist in the outer volume's source yet (its parents neither), then
    #         check that the mount table and the outer volume's source are exactly as they
    #         were before the run.
    fail "TODO 3: this check is not written yet"
}

@test "a file system mounted below the source is seen in the container" {
    # TODO 4: Mount something (a tmpfs) on a directory inside "$HOST", put a file in it,
    #         and check the container sees that file through the volume.
    fail "TODO 4: this check is not written yet"
}

@test "directories the runtime creates get mode 755 even under umask 077" {
    # TODO 5: Under `umask 077`, give the runtime a source that does not exist yet and a
    #         mount point whose parents do not exist in the image: check the modes of what
    #         it created, on the host and (while the container runs) inside the container.
    fail "TODO 5: this check is not written yet"
}

@test "a read-only volume cannot be written from the container" {
    # TODO 6: Mount "$HOST" read-only (-v SRC:DST:ro); check that writing into it from
    #         the container fails and that nothing appeared on the host.
    fail "TODO 6: this check is not written yet"
}

@test "the host's files are all still there after the container exits" {
    # TODO 7: Put files (and a directory with a file in it) into "$HOST" before the run;
    #         check that every one of them is still there, unchanged, afterwards.
    fail "TODO 7: this check is not written yet"
}

@test "while the container runs, its mounts do not appear on the host" {
    # TODO 8: Start a container that waits (on a fifo in the volume), and while it waits
    #         check the host's mount table; then let it finish and check it succeeded.
    fail "TODO 8: this check is not written yet"
}
