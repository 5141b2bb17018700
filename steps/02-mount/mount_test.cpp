/// @file mount_test.cpp
/// @brief Checks of step 2: mount_volume() bind-mounts a source onto a target.
///
/// Built twice: test-02-mount-solutions (the reference) and test-02-mount-steps (your
/// steps/02-mount/mount.cpp). Each test runs in a temporary directory, in a private mount
/// namespace whose "/" is shared like on a systemd host; what it mounts is unmounted at
/// its end, and the mount table must be as it was.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <filesystem>
#include <string>

#include "container/mounts.hpp"
#include "container/volume_steps.hpp"
#include "temp_dir.hpp"
#include "test_helpers.hpp"

namespace fs = std::filesystem;
using namespace container;
using namespace container::test_support;

namespace {

class MountVolume : public ::testing::Test {
protected:
    MountVolume() {
        make_directory(source_);
        make_directory(target_);
        write_file(source_ / "existing.txt", "was there before");
    }

    // The test's own mounts are undone here (mount_volume only mounts); the mount-table
    // check then finds anything else that was left.
    void TearDown() override { detach_mounts_below(dir_.path()); }

    TempDir dir_;
    const fs::path source_ = dir_ / "source";
    const fs::path target_ = dir_ / "target";
};

// hint: 4
TEST_F(MountVolume, TheTargetBecomesAMountPointShowingTheSource) {
    mount_volume(source_, target_);
    ASSERT_TRUE(is_mount_point(target_)) << "after mount_volume the target should be a mount point";
    EXPECT_TRUE(same_file(source_, target_))
        << "the target should show the source directory itself (same device and inode)";
    EXPECT_EQ(read_file(target_ / "existing.txt"), "was there before")
        << "a file already in the source should be visible through the target";
}

// hint: 4
TEST_F(MountVolume, AWriteThroughTheTargetLandsInTheSource) {
    mount_volume(source_, target_);
    write_file(target_ / "from-container.txt", "written in the container");
    ASSERT_TRUE(exists_no_follow(source_ / "from-container.txt"))
        << "a file written through the target should appear in the source; the source holds "
        << listing(source_);
    EXPECT_EQ(read_file(source_ / "from-container.txt"), "written in the container")
        << "the source should hold what was written through the target";
}

// hint: 4
TEST_F(MountVolume, AWriteInTheSourceShowsThroughTheTarget) {
    mount_volume(source_, target_);
    write_file(source_ / "from-host.txt", "written on the host");
    ASSERT_TRUE(exists_no_follow(target_ / "from-host.txt"))
        << "a file written in the source after the mount should appear at the target; the "
        << "target holds " << listing(target_);
    EXPECT_EQ(read_file(target_ / "from-host.txt"), "written on the host")
        << "the target should show what the host wrote";
}

// hint: 1
TEST_F(MountVolume, AMountInsideTheSourceIsVisibleThroughTheTarget) {
    make_directory(source_ / "disk");
    write_file(source_ / "disk/under-the-mount.txt", "hidden by the tmpfs");
    const ScopedTmpfs disk(source_ / "disk");  // like a USB disk mounted below the source
    write_file(source_ / "disk/on-the-disk.txt", "on the tmpfs");

    mount_volume(source_, target_);
    EXPECT_TRUE(exists_no_follow(target_ / "disk/on-the-disk.txt"))
        << "the tmpfs mounted at source/disk should be visible at target/disk (a bind takes "
        << "the mounts below the source along only with MS_REC); target/disk holds "
        << listing(target_ / "disk");
    EXPECT_FALSE(exists_no_follow(target_ / "disk/under-the-mount.txt"))
        << "target/disk shows the directory under the tmpfs instead of the tmpfs: the "
        << "submount was not carried over (MS_REC missing)";
}

// hint: 4
TEST_F(MountVolume, BindsAFileOntoAFile) {
    const fs::path source = dir_ / "app.conf";
    const fs::path target = dir_ / "mount-point.conf";
    write_file(source, "version=1\n");
    write_file(target, "");
    mount_volume(source, target);
    ASSERT_TRUE(is_mount_point(target)) << "the target file should be a mount point";
    EXPECT_EQ(read_file(target), "version=1\n") << "the target file should show the source file";
    write_file(target, "version=2\n");
    EXPECT_EQ(read_file(source), "version=2\n")
        << "a write to the target file should change the source file";
}

// hint: 2
TEST_F(MountVolume, RefusesAMissingSourceWithAMessageNamingIt) {
    const fs::path missing = dir_ / "missing";
    const std::string message = thrown_message([&] { mount_volume(missing, target_); });
    const std::string expected = "source path does not exist: " + missing.string();
    EXPECT_TRUE(message.starts_with(expected))
        << "a missing source should fail with a message starting \"" << expected << "\", got \""
        << message << "\"";
    EXPECT_FALSE(is_mount_point(target_)) << "nothing should be mounted when the source is missing";
    EXPECT_FALSE(exists_no_follow(missing)) << "mount_volume must not create the source";
}

// hint: 3
TEST_F(MountVolume, CallingItTwiceDoesNotStackASecondMount) {
    mount_volume(source_, target_);
    mount_volume(source_, target_);
    const auto mounts = mounts_at(target_);
    EXPECT_EQ(mounts.size(), 1U)
        << "the target was already a mount point of the source: the second call should have "
           "done nothing, but the target now has "
        << mounts.size() << " mounts stacked:\n"
        << describe(mounts);
}

// hint: 4
TEST_F(MountVolume, AFailedMountGivesAnErrorNamingBothPaths) {
    const fs::path file_target = dir_ / "a-file";
    write_file(file_target, "");
    // A directory onto a file: mount(2) fails with ENOTDIR.
    const std::string message = thrown_message([&] { mount_volume(source_, file_target); });
    EXPECT_NE(message.find(source_.string()), std::string::npos)
        << "binding a directory onto a file must fail with an error naming the source "
        << source_ << ", got \"" << message << "\"";
    EXPECT_NE(message.find(file_target.string()), std::string::npos)
        << "the error should also name the target " << file_target << ", got \"" << message << "\"";
    EXPECT_FALSE(is_mount_point(file_target)) << "nothing should be mounted after the failure";
}

}  // namespace
