/// @file unmount_test.cpp
/// @brief Checks of step 3: unmount_volume() and remove_mount_point().
///
/// Built twice: test-03-unmount-solutions (the reference) and test-03-unmount-steps (your
/// steps/03-unmount/unmount.cpp). Each test runs in a temporary directory holding a fake
/// host source ("host/source") and a fake image ("rootfs/"), in a private mount namespace
/// whose "/" is shared like on a systemd host. The volumes are mounted by the test itself
/// (with mount(2), not with your step 2), then handed to your code to unmount.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "container/mounts.hpp"
#include "container/rootfs.hpp"
#include "container/volume_steps.hpp"
#include "temp_dir.hpp"
#include "test_helpers.hpp"

namespace fs = std::filesystem;
using namespace container;
using namespace container::test_support;

namespace {

class UnmountVolume : public ::testing::Test {
protected:
    UnmountVolume() {
        make_directory(dir_ / "host");
        make_directory(source_);
        make_directory(image_);
        write_file(source_ / "keep-1.txt", "host data 1");
        make_directory(source_ / "sub");
        write_file(source_ / "sub/keep-2.txt", "host data 2");
    }

    // The test's own mounts, if the code under test left them, go here; each test checks
    // for itself that the volume was unmounted.
    void TearDown() override { detach_mounts_below(dir_.path()); }

    /// Bind-mounts @p source on @p target (as steps 1 and 2 would have done).
    static void bind(const fs::path& source, const fs::path& target) {
        ASSERT_EQ(::mount(source.c_str(), target.c_str(), nullptr, MS_BIND | MS_REC, nullptr), 0)
            << "test setup: cannot bind " << source << " on " << target;
    }

    /// The source's files are all still there, with their content.
    void expect_source_intact() const {
        EXPECT_EQ(listing(source_), "[keep-1.txt, sub]")
            << "the host source must keep every file: it now holds " << listing(source_);
        EXPECT_TRUE(exists_no_follow(source_ / "sub/keep-2.txt"))
            << "the host file source/sub/keep-2.txt was deleted";
    }

    TempDir dir_;
    const fs::path source_ = dir_ / "host/source";
    const fs::path image_ = dir_ / "rootfs";
};

// hint: 5
TEST_F(UnmountVolume, TheDestinationIsNoLongerAMountPointAfterwards) {
    make_directory(image_ / "data");
    bind(source_, image_ / "data");
    const Rootfs rootfs(image_);
    unmount_volume(MountPoint{"/data", {}}, rootfs);
    EXPECT_TRUE(mounts_at(image_ / "data").empty())
        << "rootfs/data should no longer be a mount point after unmount_volume, mounts left:\n"
        << describe(mounts_at(image_ / "data"));
    expect_source_intact();
}

// hint: 5
TEST_F(UnmountVolume, RemovesTheEmptyMountPointDirectoryItCreated) {
    make_directory(image_ / "data");
    bind(source_, image_ / "data");
    const Rootfs rootfs(image_);
    unmount_volume(MountPoint{"/data", {"/data"}}, rootfs);
    EXPECT_FALSE(exists_no_follow(image_ / "data"))
        << "setup created /data (it is listed in created), so it should be removed after the "
           "unmount; the rootfs holds "
        << listing(image_);
    expect_source_intact();
}

// hint: 4
TEST_F(UnmountVolume, KeepsAMountPointThatWasAlreadyInTheImage) {
    make_directory(image_ / "data");
    bind(source_, image_ / "data");
    const Rootfs rootfs(image_);
    unmount_volume(MountPoint{"/data", {}}, rootfs);
    EXPECT_TRUE(is_real_directory(image_ / "data"))
        << "/data came with the image (created is empty), so it must stay after the unmount";
}

// hint: 4
TEST_F(UnmountVolume, RemovesTheCreatedParentsToo) {
    fs::create_directories(image_ / "existing/a/b");
    bind(source_, image_ / "existing/a/b");
    const Rootfs rootfs(image_);
    unmount_volume(MountPoint{"/existing/a/b", {"/existing/a", "/existing/a/b"}}, rootfs);
    EXPECT_FALSE(exists_no_follow(image_ / "existing/a"))
        << "setup created /existing/a and /existing/a/b: both should be removed, innermost "
           "first; rootfs/existing holds "
        << listing(image_ / "existing");
    EXPECT_TRUE(is_real_directory(image_ / "existing"))
        << "/existing was in the image (not in created) and must stay";
}

// hint: 4
TEST_F(UnmountVolume, RemovesTheEmptyMountPointFileOfAFileVolume) {
    write_file(dir_ / "host/app.conf", "setting=1\n");
    write_file(image_ / "app.conf", "");
    bind(dir_ / "host/app.conf", image_ / "app.conf");
    const Rootfs rootfs(image_);
    unmount_volume(MountPoint{"/app.conf", {"/app.conf"}}, rootfs);
    EXPECT_TRUE(mounts_at(image_ / "app.conf").empty()) << "the file volume should be unmounted";
    EXPECT_FALSE(exists_no_follow(image_ / "app.conf"))
        << "the empty mount point file that setup created should be removed";
    EXPECT_EQ(read_file(dir_ / "host/app.conf"), "setting=1\n")
        << "the host's file must keep its content";
}

// hint: 3
TEST_F(UnmountVolume, ABusyMountIsDetachedWithoutDeletingAnyFileOfTheSource) {
    make_directory(image_ / "data");
    bind(source_, image_ / "data");
    const Rootfs rootfs(image_);
    const ChildInDirectory user(image_ / "data/sub");  // keeps the mount busy: EBUSY

    const auto start = std::chrono::steady_clock::now();
    const std::string error =
        thrown_message([&] { unmount_volume(MountPoint{"/data", {"/data"}}, rootfs); });
    const auto took = std::chrono::steady_clock::now() - start;

    EXPECT_EQ(error, "")
        << "a busy mount should be retried, then detached lazily (MNT_DETACH), not reported "
           "as an error";
    EXPECT_TRUE(mounts_at(image_ / "data").empty())
        << "the busy mount should have left the tree, mounts left:\n"
        << describe(mounts_at(image_ / "data"));
    EXPECT_LT(took, std::chrono::seconds(1))
        << "retrying a busy mount should take well under a second before detaching it, took "
        << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
    expect_source_intact();
}

// hint: 3
TEST_F(UnmountVolume, AVolumeWithASubmountIsUnmountedWithoutUnmountingTheHostsMount) {
    // The host has a disk mounted below the source; the volume carries it (MS_REC).
    const ScopedTmpfs disk(source_ / "sub");
    write_file(source_ / "sub/on-disk.txt", "on the host's disk");
    make_directory(image_ / "data");
    bind(source_, image_ / "data");
    const Rootfs rootfs(image_);

    thrown_message([&] { unmount_volume(MountPoint{"/data", {"/data"}}, rootfs); });
    EXPECT_TRUE(mounts_below(image_).empty())
        << "the volume and its submount should be gone from the rootfs, left:\n"
        << describe(mounts_below(image_));
    EXPECT_TRUE(is_mount_point(source_ / "sub"))
        << "the host's own mount at source/sub was unmounted too. A volume with a submount "
           "is busy (EBUSY) and ends up detached; under shared propagation a detach also "
           "unmounts the peers of its submounts, among them the host's: make the volume's "
           "tree private (MS_REC | MS_PRIVATE) before MNT_DETACH";
    EXPECT_TRUE(exists_no_follow(source_ / "sub/on-disk.txt"))
        << "the file on the host's disk is no longer visible in the source";
}

// hint: 2
TEST_F(UnmountVolume, APathThatIsNotAMountPointGivesAnErrorNamingItAndRemovesNothing) {
    make_directory(image_ / "data");
    const Rootfs rootfs(image_);
    const std::string message =
        thrown_message([&] { unmount_volume(MountPoint{"/data", {"/data"}}, rootfs); });
    EXPECT_NE(message, "") << "unmounting a path that is not a mount point should be an error";
    EXPECT_NE(message.find("/data"), std::string::npos)
        << "the error should name the path (/data), got \"" << message << "\"";
    EXPECT_TRUE(is_real_directory(image_ / "data"))
        << "nothing should be removed when the unmount failed";
}

// hint: 1
TEST_F(UnmountVolume, ASymlinkPutWhereTheMountPointWasIsLeftAloneAndNothingOutsideIsTouched) {
    // The image replaced its mount point by a symlink to a mount outside the rootfs (like
    // "/data -> /"). Following it would unmount, or empty, what it points to.
    make_directory(dir_ / "outside");
    const ScopedTmpfs outside(dir_ / "outside");
    write_file(dir_ / "outside/precious.txt", "outside the rootfs");
    fs::create_directory_symlink(dir_ / "outside", image_ / "data");
    const Rootfs rootfs(image_);

    const std::string message =
        thrown_message([&] { unmount_volume(MountPoint{"/data", {"/data"}}, rootfs); });
    EXPECT_NE(message, "")
        << "a symlink is not a mount point: unmount_volume should report it as an error";
    EXPECT_TRUE(is_mount_point(dir_ / "outside"))
        << "the mount the symlink points to was unmounted: resolve the destination without "
           "following a final symlink, and unmount with UMOUNT_NOFOLLOW";
    EXPECT_TRUE(exists_no_follow(dir_ / "outside/precious.txt"))
        << "a file outside the rootfs, behind the symlink, was deleted";
    EXPECT_TRUE(is_symlink_no_follow(image_ / "data"))
        << "the symlink should be left where it is";
}

class RemoveMountPoint : public UnmountVolume {};

// hint: 4
TEST_F(RemoveMountPoint, LeavesACreatedDirectoryThatIsNoLongerEmpty) {
    make_directory(image_ / "data");
    write_file(image_ / "data/written-later.txt", "not ours to delete");
    const Rootfs rootfs(image_);
    remove_mount_point(MountPoint{"/data", {"/data"}}, rootfs);
    EXPECT_TRUE(exists_no_follow(image_ / "data/written-later.txt"))
        << "a created directory that is not empty any more must be left with its files "
           "(rmdir, never a recursive delete)";
}

// hint: 4
TEST_F(RemoveMountPoint, NeverRemovesAnythingBelowAPathThatIsStillAMountPoint) {
    make_directory(image_ / "data");
    bind(source_, image_ / "data");
    const Rootfs rootfs(image_);
    thrown_message([&] { remove_mount_point(MountPoint{"/data", {"/data"}}, rootfs); });
    const bool still_mounted = is_mount_point(image_ / "data");
    EXPECT_TRUE(still_mounted) << "remove_mount_point must not touch a path that is a mount point";
    expect_source_intact();
}

// hint: 4
TEST_F(RemoveMountPoint, LeavesAMountPointFileThatIsNoLongerEmpty) {
    write_file(image_ / "app.conf", "written later");
    const Rootfs rootfs(image_);
    remove_mount_point(MountPoint{"/app.conf", {"/app.conf"}}, rootfs);
    EXPECT_TRUE(exists_no_follow(image_ / "app.conf"))
        << "setup made an empty file; a file with data in it is no longer what setup made "
           "and must stay";
}

// hint: 4
TEST_F(RemoveMountPoint, LeavesASymlinkThatReplacedACreatedPath) {
    make_directory(dir_ / "outside");
    fs::create_directory_symlink(dir_ / "outside", image_ / "data");
    const Rootfs rootfs(image_);
    remove_mount_point(MountPoint{"/data", {"/data"}}, rootfs);
    EXPECT_TRUE(is_symlink_no_follow(image_ / "data"))
        << "a symlink is not what setup made: it should stay";
    EXPECT_TRUE(is_real_directory(dir_ / "outside"))
        << "the directory outside the rootfs that the symlink points to must not be removed";
}

// hint: 4
TEST_F(RemoveMountPoint, SkipsCreatedPathsThatAreAlreadyGone) {
    const Rootfs rootfs(image_);
    const std::string message =
        thrown_message([&] { remove_mount_point(MountPoint{"/a/b", {"/a", "/a/b"}}, rootfs); });
    EXPECT_EQ(message, "") << "paths that are already gone should be skipped, not an error";
}

}  // namespace
