/// @file mount_test.cpp
/// @brief Checks of step 2: mount_volume() bind-mounts a held source onto a held mount point.
///
/// Built twice: test-02-mount-solutions (the reference) and test-02-mount-steps (your
/// steps/02-mount/mount.cpp). Each test runs in a temporary directory holding a fake host
/// source ("source/") and a fake image ("rootfs/"), in a private mount namespace whose "/"
/// is shared like on a systemd host. The MountPoint is prepared by step 1 (the reference
/// code); what the test mounts is unmounted at its end, and the mount table must be as it
/// was. The race checks at the end change the paths right before each act of your code
/// (race_hook.hpp): a mount made through the descriptors does not care.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <filesystem>
#include <string>

#include "container/mounts.hpp"
#include "container/rootfs.hpp"
#include "container/volume_steps.hpp"
#include "race_hook.hpp"
#include "temp_dir.hpp"
#include "test_helpers.hpp"

namespace fs = std::filesystem;
using namespace container;
using namespace container::test_support;

namespace {

/// The id of the mount at @p path, as mount_id_of() gives it.
std::uint64_t id_of_the_mount_at(const fs::path& path) {
    const UniqueFd root(::open(path.c_str(), O_PATH | O_CLOEXEC));
    return root ? mount_id_of(root) : 0;
}

class MountVolume : public ::testing::Test {
protected:
    MountVolume() {
        make_directory(source_);
        write_file(source_ / "existing.txt", "was there before");
    }

    // The test's own mounts are undone here (mount_volume only mounts); the mount-table
    // check then finds anything else that was left.
    void TearDown() override { detach_mounts_below(dir_.path()); }

    /// What step 1 prepares for @p source at @p destination in the test's image.
    MountPoint prepared(const fs::path& source, const fs::path& destination) {
        return setup_volume(make_volume(source, destination), rootfs_);
    }

    TempDir dir_;
    const fs::path source_ = dir_ / "source";
    const fs::path image_ = dir_ / "rootfs";
    const Rootfs rootfs_{(make_directory(dir_ / "rootfs"), dir_ / "rootfs")};
};

// hint: 4
TEST_F(MountVolume, TheTargetBecomesAMountPointShowingTheSource) {
    MountPoint mount_point = prepared(source_, "/data");
    mount_volume(mount_point);
    const fs::path target = image_ / "data";
    ASSERT_TRUE(is_mount_point(target))
        << "expected: after mount_volume the mount point should be a mount point";
    EXPECT_TRUE(same_file(source_, target)) << "expected: the mount point should show the source "
                                               "directory itself (same device and inode)";
    EXPECT_EQ(read_file(target / "existing.txt"), "was there before")
        << "expected: a file already in the source should be visible through the mount point";
}

// hint: 5
TEST_F(MountVolume, RecordsTheIdOfTheMountItMade) {
    MountPoint mount_point = prepared(source_, "/data");
    mount_volume(mount_point);
    ASSERT_TRUE(is_mount_point(image_ / "data"))
        << "expected: the volume should be mounted at /data";
    EXPECT_EQ(mount_point.mount_id, id_of_the_mount_at(image_ / "data"))
        << "expected: mount_id should be the id of the new mount (mount_id_of() of its root): "
           "cleanup unmounts that mount and nothing else";
}

// hint: 4
TEST_F(MountVolume, AWriteThroughTheTargetLandsInTheSource) {
    MountPoint mount_point = prepared(source_, "/data");
    mount_volume(mount_point);
    write_file(image_ / "data/from-container.txt", "written in the container");
    ASSERT_TRUE(exists_no_follow(source_ / "from-container.txt"))
        << "expected: a file written through the mount point should appear in the "
           "source\nhappened: the source holds "
        << listing(source_);
    EXPECT_EQ(read_file(source_ / "from-container.txt"), "written in the container")
        << "expected: the source should hold what was written through the mount point";
}

// hint: 4
TEST_F(MountVolume, AWriteInTheSourceShowsThroughTheTarget) {
    MountPoint mount_point = prepared(source_, "/data");
    mount_volume(mount_point);
    write_file(source_ / "from-host.txt", "written on the host");
    ASSERT_TRUE(exists_no_follow(image_ / "data/from-host.txt"))
        << "expected: a file written in the source after the mount should appear at the mount "
           "point\nhappened: it holds "
        << listing(image_ / "data");
    EXPECT_EQ(read_file(image_ / "data/from-host.txt"), "written on the host")
        << "expected: the mount point should show what the host wrote";
}

// hint: 2
TEST_F(MountVolume, AMountInsideTheSourceIsVisibleThroughTheTarget) {
    make_directory(source_ / "disk");
    write_file(source_ / "disk/under-the-mount.txt", "hidden by the tmpfs");
    const ScopedTmpfs disk(source_ / "disk");  // like a USB disk mounted below the source
    write_file(source_ / "disk/on-the-disk.txt", "on the tmpfs");

    MountPoint mount_point = prepared(source_, "/data");
    mount_volume(mount_point);
    EXPECT_TRUE(exists_no_follow(image_ / "data/disk/on-the-disk.txt"))
        << "expected: the tmpfs mounted at source/disk should be visible at /data/disk (a bind "
           "takes the mounts below the source along only when it is recursive: AT_RECURSIVE, "
           "MS_REC)\nhappened: /data/disk holds "
        << listing(image_ / "data/disk");
    EXPECT_FALSE(exists_no_follow(image_ / "data/disk/under-the-mount.txt"))
        << "happened: /data/disk shows the directory under the tmpfs instead of the tmpfs: the "
           "submount was not carried over (not recursive)";
}

// hint: 4
TEST_F(MountVolume, BindsAFileOntoAFile) {
    const fs::path source = dir_ / "app.conf";
    write_file(source, "version=1\n");
    MountPoint mount_point = prepared(source, "/etc/app.conf");
    mount_volume(mount_point);
    const fs::path target = image_ / "etc/app.conf";
    ASSERT_TRUE(is_mount_point(target)) << "expected: the mount point file should be a mount point";
    EXPECT_EQ(read_file(target), "version=1\n")
        << "expected: the mount point should show the source file";
    write_file(target, "version=2\n");
    EXPECT_EQ(read_file(source), "version=2\n")
        << "expected: a write to the mount point file should change the source file";
}

// hint: 3
TEST_F(MountVolume, CallingItTwiceDoesNotStackASecondMount) {
    MountPoint mount_point = prepared(source_, "/data");
    mount_volume(mount_point);
    mount_volume(mount_point);
    const auto mounts = mounts_at(image_ / "data");
    EXPECT_EQ(mounts.size(), 1U) << "expected: the mount point already showed the source: the "
                                    "second call should have done nothing\nhappened: it now has "
                                 << mounts.size() << " mounts stacked:\n"
                                 << describe(mounts);
    EXPECT_EQ(mount_point.mount_id, id_of_the_mount_at(image_ / "data"))
        << "expected: mount_id should still name the one mount at /data";
}

// hint: 3
TEST_F(MountVolume, ASecondMountPointThatAlreadyShowsTheSourceGetsTheIdOfThatMount) {
    MountPoint first = prepared(source_, "/data");
    mount_volume(first);
    MountPoint second = prepared(source_, "/data");  // set up again: /data shows the source
    mount_volume(second);
    EXPECT_EQ(second.mount_id, first.mount_id)
        << "happened: /data already shows the source, so mount_volume records the id of the mount "
           "sitting there (cleanup unmounts by that id), mount_id is "
        << second.mount_id << ", the mount at /data has id " << first.mount_id;
}

// hint: 3
TEST_F(MountVolume, AMountPointWhereSomethingElseIsMountedStillGetsTheVolume) {
    make_directory(image_ / "data");
    const ScopedTmpfs other(image_ / "data");  // a mount of something else, not the source
    MountPoint mount_point = prepared(source_, "/data");
    mount_volume(mount_point);
    EXPECT_TRUE(exists_no_follow(image_ / "data/existing.txt"))
        << "happened: a mount point where something else than the source is mounted gets the "
           "volume mounted on it (only a mount of the source itself is left alone): rootfs/data "
           "does not show the source, it holds "
        << listing(image_ / "data");
}

// hint: 4
TEST_F(MountVolume, AFailedMountGivesAnErrorNamingTheVolumeAndLeavesNothingMounted) {
    // A source on an unbindable mount: no bind of it is allowed (EINVAL).
    make_directory(dir_ / "unbindable");
    const ScopedTmpfs tmpfs(dir_ / "unbindable");
    ASSERT_EQ(::mount(nullptr, (dir_ / "unbindable").c_str(), nullptr, MS_UNBINDABLE, nullptr), 0)
        << "happened: test setup: cannot make the tmpfs unbindable";
    make_directory(dir_ / "unbindable/source");
    MountPoint mount_point = prepared(dir_ / "unbindable/source", "/data");

    const std::string message = thrown_message([&] { mount_volume(mount_point); });
    EXPECT_NE(message.find((dir_ / "unbindable/source").string()), std::string::npos)
        << "expected: the failed mount should be an error naming the volume (its "
           "source)\nhappened: got \""
        << message << "\"";
    EXPECT_NE(message.find("/data"), std::string::npos)
        << "expected: the error should also name the destination /data\nhappened: got \"" << message
        << "\"";
    EXPECT_FALSE(is_mount_point(image_ / "data"))
        << "expected: nothing should be mounted after the failure";
}

// Between setup (which resolved and created the mount point) and each act of the mount,
// the directory /p that holds it is swapped for a symlink to a host directory (the
// canary) that has a "data" of its own. A mount made on a path looked up again lands on
// the canary; a mount made on the held mount point lands where setup made it.
// hint: 6
TEST_F(MountVolume, RaceASymlinkSwappedInOnTheWayToTheMountPointAtEachAct) {
    const int acts = 6;  // mount_volume() makes a handful; the loop covers them and more
    for (int act = 1; act <= acts; ++act) {
        const TempDir dir;
        make_directory(dir / "rootfs");
        make_directory(dir / "rootfs/p");
        make_directory(dir / "canary");
        make_directory(dir / "canary/data");
        const Rootfs rootfs(dir / "rootfs");
        MountPoint mount_point = setup_volume(make_volume(source_, "/p/data"), rootfs);
        std::string error;
        {
            const RaceHook hook(act, [&] { swap_for_symlink(dir / "rootfs/p", dir / "canary"); });
            error = thrown_message([&] { mount_volume(mount_point); });
        }
        EXPECT_FALSE(is_mount_point(dir / "canary/data"))
            << "happened: with /p swapped for a symlink to a host directory right before act "
            << act
            << ", the volume was mounted on that host directory. Mount on the mount point you hold "
               "(its descriptor), not on a path.";
        const fs::path real = exists_no_follow(dir / "rootfs/p.moved") ? dir / "rootfs/p.moved/data"
                                                                       : dir / "rootfs/p/data";
        EXPECT_EQ(error, "") << "expected: the mount should work on the held mount point (act "
                             << act << ")";
        EXPECT_TRUE(is_mount_point(real) && same_file(source_, real))
            << "expected: the volume should be mounted where setup made its mount point (act "
            << act << ")";
        mount_point = MountPoint{};  // closes its descriptors
        detach_mounts_below(dir.path());
    }
}

// Between setup (which opened the source) and each act of the mount, the source is
// renamed and a symlink to another host directory put in its place. What gets mounted
// must be what setup checked and holds.
// hint: 6
TEST_F(MountVolume, RaceTheSourceSwappedForASymlinkAtEachActIsNotWhatGetsMounted) {
    for (int act = 1; act <= 6; ++act) {
        const TempDir dir;
        make_directory(dir / "rootfs");
        make_directory(dir / "source");
        write_file(dir / "source/mine.txt", "the volume's");
        make_directory(dir / "canary");
        write_file(dir / "canary/canary.txt", "another host directory");
        const Rootfs rootfs(dir / "rootfs");
        MountPoint mount_point = setup_volume(make_volume(dir / "source", "/data"), rootfs);
        {
            const RaceHook hook(act, [&] { swap_for_symlink(dir / "source", dir / "canary"); });
            thrown_message([&] { mount_volume(mount_point); });
        }
        EXPECT_FALSE(exists_no_follow(dir / "rootfs/data/canary.txt"))
            << "happened: with the source swapped for a symlink right before act " << act
            << ", the directory the symlink points to was mounted. Mount the source you hold.";
        EXPECT_TRUE(exists_no_follow(dir / "rootfs/data/mine.txt"))
            << "expected: the source that setup opened should be mounted (act " << act << ")";
        mount_point = MountPoint{};
        detach_mounts_below(dir.path());
    }
}

}  // namespace
