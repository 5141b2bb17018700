/// @file unmount_test.cpp
/// @brief Checks of step 3: unmount_volume() and remove_mount_point().
///
/// Built twice: test-03-unmount-solutions (the reference) and test-03-unmount-steps (your
/// steps/03-unmount/unmount.cpp). Each test runs in a temporary directory holding a fake
/// host source ("host/source") and a fake image ("rootfs/"), in a private mount namespace
/// whose "/" is shared like on a systemd host. The volumes are prepared and mounted by
/// steps 1 and 2 (the reference code), then handed to your code to unmount. The race
/// checks at the end change the paths right before each act of your code
/// (race_hook.hpp): what is reached through held descriptors does not care.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

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

class UnmountVolume : public ::testing::Test {
protected:
    UnmountVolume() {
        make_directory(dir_ / "host");
        make_directory(source_);
        write_file(source_ / "keep-1.txt", "host data 1");
        make_directory(source_ / "sub");
        write_file(source_ / "sub/keep-2.txt", "host data 2");
    }

    // The test's own mounts, if the code under test left them, go here; each test checks
    // for itself that the volume was unmounted.
    void TearDown() override { detach_mounts_below(dir_.path()); }

    /// A volume of @p source at @p destination, set up (step 1) but not mounted.
    MountPoint set_up(const fs::path& source, const fs::path& destination) {
        return setup_volume(make_volume(source, destination), rootfs_);
    }

    /// A volume of @p source at @p destination, set up and mounted (steps 1 and 2).
    MountPoint mounted(const fs::path& source, const fs::path& destination) {
        MountPoint mount_point = set_up(source, destination);
        mount_volume(mount_point);
        return mount_point;
    }

    /// The source's files are all still there, with their content.
    void expect_source_intact() const {
        EXPECT_EQ(listing(source_), "[keep-1.txt, sub]")
            << "expected: the host source must keep every file\nhappened: it now holds "
            << listing(source_);
        EXPECT_TRUE(exists_no_follow(source_ / "sub/keep-2.txt"))
            << "happened: the host file source/sub/keep-2.txt was deleted";
    }

    TempDir dir_;
    const fs::path source_ = dir_ / "host/source";
    const fs::path image_ = dir_ / "rootfs";
    const Rootfs rootfs_{(make_directory(dir_ / "rootfs"), dir_ / "rootfs")};
};

// hint: 5
TEST_F(UnmountVolume, TheDestinationIsNoLongerAMountPointAfterwards) {
    make_directory(image_ / "data");  // in the image: nothing to remove afterwards
    unmount_volume(mounted(source_, "/data"));
    EXPECT_TRUE(mounts_at(image_ / "data").empty())
        << "expected: rootfs/data should no longer be a mount point after "
           "unmount_volume\nhappened: mounts left:\n"
        << describe(mounts_at(image_ / "data"));
    expect_source_intact();
}

// hint: 5
TEST_F(UnmountVolume, RemovesTheEmptyMountPointDirectoryItCreated) {
    unmount_volume(mounted(source_, "/data"));
    EXPECT_FALSE(exists_no_follow(image_ / "data"))
        << "expected: setup created /data (it is listed in created), so it should be removed after "
           "the unmount\nhappened: the rootfs holds "
        << listing(image_);
    expect_source_intact();
}

// hint: 4
TEST_F(UnmountVolume, KeepsAMountPointThatWasAlreadyInTheImage) {
    make_directory(image_ / "data");
    unmount_volume(mounted(source_, "/data"));
    EXPECT_TRUE(is_real_directory(image_ / "data"))
        << "expected: /data came with the image (created is empty), so it must stay after the "
           "unmount";
}

// hint: 4
TEST_F(UnmountVolume, RemovesTheCreatedParentsToo) {
    make_directory(image_ / "existing");
    unmount_volume(mounted(source_, "/existing/a/b"));
    EXPECT_FALSE(exists_no_follow(image_ / "existing/a"))
        << "expected: setup created /existing/a and /existing/a/b: both should be removed, "
           "innermost first\nhappened: rootfs/existing holds "
        << listing(image_ / "existing");
    EXPECT_TRUE(is_real_directory(image_ / "existing"))
        << "expected: /existing was in the image (not in created) and must stay";
}

// hint: 4
TEST_F(UnmountVolume, RemovesTheEmptyMountPointFileOfAFileVolume) {
    write_file(dir_ / "host/app.conf", "setting=1\n");
    unmount_volume(mounted(dir_ / "host/app.conf", "/app.conf"));
    EXPECT_TRUE(mounts_at(image_ / "app.conf").empty())
        << "expected: the file volume should be unmounted";
    EXPECT_FALSE(exists_no_follow(image_ / "app.conf"))
        << "expected: the empty mount point file that setup created should be removed";
    EXPECT_EQ(read_file(dir_ / "host/app.conf"), "setting=1\n")
        << "expected: the host's file must keep its content";
}

// hint: 3
TEST_F(UnmountVolume, ABusyMountIsDetachedWithoutDeletingAnyFileOfTheSource) {
    MountPoint mount_point = mounted(source_, "/data");
    const ChildInDirectory user(image_ / "data/sub");  // keeps the mount busy: EBUSY

    const auto start = std::chrono::steady_clock::now();
    const std::string error = thrown_message([&] { unmount_volume(std::move(mount_point)); });
    const auto took = std::chrono::steady_clock::now() - start;

    EXPECT_EQ(error, "") << "expected: a busy mount should be retried, then detached lazily "
                            "(MNT_DETACH), not reported as an error";
    EXPECT_TRUE(mounts_at(image_ / "data").empty())
        << "expected: the busy mount should have left the tree\nhappened: mounts left:\n"
        << describe(mounts_at(image_ / "data"));
    EXPECT_LT(took, std::chrono::seconds(1))
        << "expected: retrying a busy mount should take well under a second before detaching "
           "it\nhappened: took "
        << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
    expect_source_intact();
}

// hint: 3
TEST_F(UnmountVolume, AVolumeWithASubmountIsUnmountedWithoutUnmountingTheHostsMount) {
    // The host has a disk mounted below the source; the volume carries it (recursive bind).
    const ScopedTmpfs disk(source_ / "sub");
    write_file(source_ / "sub/on-disk.txt", "on the host's disk");
    MountPoint mount_point = mounted(source_, "/data");

    thrown_message([&] { unmount_volume(std::move(mount_point)); });
    EXPECT_TRUE(mounts_below(image_).empty())
        << "expected: the volume and its submount should be gone from the rootfs\nhappened: left:\n"
        << describe(mounts_below(image_));
    EXPECT_TRUE(is_mount_point(source_ / "sub"))
        << "happened: the host's own mount at source/sub was unmounted too. A volume with a "
           "submount is busy (EBUSY) and ends up detached; under shared propagation a detach also "
           "unmounts the peers of its submounts, among them the host's: make the volume's tree "
           "private (mount_setattr with MS_PRIVATE, recursive) before MNT_DETACH";
    EXPECT_TRUE(exists_no_follow(source_ / "sub/on-disk.txt"))
        << "happened: the file on the host's disk is no longer visible in the source";
}

// hint: 2
TEST_F(UnmountVolume, AVolumeTheCommandAlreadyUnmountedIsNotAnErrorAndItsMountPointGoes) {
    MountPoint mount_point = mounted(source_, "/data");
    ASSERT_EQ(::umount2((image_ / "data").c_str(), 0), 0)
        << "happened: test setup: cannot unmount /data";
    const std::string error = thrown_message([&] { unmount_volume(std::move(mount_point)); });
    EXPECT_EQ(error, "") << "happened: the volume is no longer mounted but its mount point is "
                            "still the one setup made: nothing to unmount, and no error";
    EXPECT_FALSE(exists_no_follow(image_ / "data"))
        << "expected: the mount point setup created should still be removed\nhappened: the rootfs "
           "holds "
        << listing(image_);
    expect_source_intact();
}

// hint: 2
TEST_F(UnmountVolume, AnotherMountOnTheMountPointIsAnErrorNamingItAndNothingIsRemoved) {
    // The command unmounted the volume and mounted something of its own there.
    MountPoint mount_point = mounted(source_, "/data");
    ASSERT_EQ(::umount2((image_ / "data").c_str(), 0), 0)
        << "happened: test setup: cannot unmount /data";
    const ScopedTmpfs other(image_ / "data");
    write_file(image_ / "data/other.txt", "not the volume's");

    const std::string message = thrown_message([&] { unmount_volume(std::move(mount_point)); });
    EXPECT_NE(message.find("/data"), std::string::npos)
        << "expected: a mount that is not the volume's is not the volume's to unmount: the error "
           "should name /data\nhappened: got \""
        << message << "\"";
    EXPECT_TRUE(is_mount_point(image_ / "data"))
        << "expected: the other mount must stay: compare the mount id with the one mount_volume() "
           "recorded";
    EXPECT_TRUE(exists_no_follow(image_ / "data/other.txt")) << "expected: its file must stay";
}

// hint: 1
TEST_F(UnmountVolume, ASymlinkPutWhereTheMountPointWasIsLeftAloneAndNothingOutsideIsTouched) {
    // The command unmounted the volume and replaced its mount point by a symlink to a mount
    // outside the rootfs (like "/data -> /"). Following it would unmount, or empty, what it
    // points to.
    make_directory(dir_ / "outside");
    const ScopedTmpfs outside(dir_ / "outside");
    write_file(dir_ / "outside/precious.txt", "outside the rootfs");
    MountPoint mount_point = mounted(source_, "/data");
    ASSERT_EQ(::umount2((image_ / "data").c_str(), 0), 0)
        << "happened: test setup: cannot unmount /data";
    ASSERT_EQ(::rmdir((image_ / "data").c_str()), 0) << "happened: test setup: cannot remove /data";
    fs::create_directory_symlink(dir_ / "outside", image_ / "data");

    const std::string message = thrown_message([&] { unmount_volume(std::move(mount_point)); });
    EXPECT_NE(message, "")
        << "expected: a symlink is not the volume's mount point: unmount_volume should report it";
    EXPECT_TRUE(is_mount_point(dir_ / "outside"))
        << "happened: the mount the symlink points to was unmounted: look at the name without "
           "following it, and unmount through the mount point you hold";
    EXPECT_TRUE(exists_no_follow(dir_ / "outside/precious.txt"))
        << "happened: a file outside the rootfs, behind the symlink, was deleted";
    EXPECT_TRUE(is_symlink_no_follow(image_ / "data"))
        << "expected: the symlink should be left where it is";
}

// hint: 5
TEST_F(UnmountVolume, AMountPointStillMountedAfterTheUnmountIsAnErrorAndStays) {
    // Something else was mounted on the mount point before the volume, which sits on top:
    // once the volume is unmounted, the mount point is still a mount point.
    MountPoint mount_point = set_up(source_, "/data");
    const ScopedTmpfs below(image_ / "data");
    write_file(image_ / "data/below.txt", "the mount below the volume");
    mount_volume(mount_point);

    const std::string message = thrown_message([&] { unmount_volume(std::move(mount_point)); });
    EXPECT_NE(message.find("/data"), std::string::npos)
        << "happened: after the unmount, /data is still a mount point (another mount was below the "
           "volume): verify before removing anything, and report it naming /data; the error was \""
        << message << "\"";
    EXPECT_TRUE(exists_no_follow(image_ / "data/below.txt"))
        << "happened: the mount below stays with its file, rootfs/data holds "
        << listing(image_ / "data");
}

// hint: 4
TEST_F(UnmountVolume, MountPointsCreatedInsideAReadOnlyVolumeAreLeftQuietly) {
    // /d is read-only; the mount points of /d/in and /d/app.conf were created in its source
    // before it was made read-only (step 4 does it in that order).
    make_directory(dir_ / "host/inner");
    write_file(dir_ / "host/app.conf", "setting=1\n");
    std::vector<MountPoint> volumes;
    volumes.push_back(mounted(source_, "/d"));
    volumes.back().read_only = true;
    volumes.push_back(mounted(dir_ / "host/inner", "/d/in"));
    volumes.push_back(mounted(dir_ / "host/app.conf", "/d/app.conf"));
    make_read_only(volumes);

    for (int i = 2; i >= 1; --i) {  // the nested ones, newest first
        const std::string name = volumes[i].destination.string();
        const std::string message = thrown_message([&] { unmount_volume(std::move(volumes[i])); });
        EXPECT_EQ(message, "")
            << "expected: " << name
            << " should be unmounted without an error: its mount point lies inside the read-only "
               "volume /d and cannot be removed (EROFS), so it stays\nhappened: got \""
            << message << "\"";
        EXPECT_TRUE(mounts_at(image_ / name.substr(1)).empty())
            << "expected: " << name << " should be unmounted\nhappened: mounts left:\n"
            << describe(mounts_at(image_ / name.substr(1)));
    }
}

class RemoveMountPoint : public UnmountVolume {};

// hint: 4
TEST_F(RemoveMountPoint, LeavesACreatedDirectoryThatIsNoLongerEmpty) {
    const MountPoint mount_point = set_up(source_, "/data");
    write_file(image_ / "data/written-later.txt", "not ours to delete");
    remove_mount_point(mount_point);
    EXPECT_TRUE(exists_no_follow(image_ / "data/written-later.txt"))
        << "expected: a created directory that is not empty any more must be left with its files "
           "(rmdir, never a recursive delete)";
}

// hint: 4
TEST_F(RemoveMountPoint, NeverRemovesAnythingBelowAPathThatIsStillAMountPoint) {
    const MountPoint mount_point = mounted(source_, "/data");
    thrown_message([&] { remove_mount_point(mount_point); });
    EXPECT_TRUE(is_mount_point(image_ / "data"))
        << "expected: remove_mount_point must not touch a path that is a mount point";
    expect_source_intact();
}

// hint: 4
TEST_F(RemoveMountPoint, SkipsAMountPointFileThatIsStillMountedWithoutAnError) {
    write_file(dir_ / "host/app.conf", "setting=1\n");
    const MountPoint mount_point = mounted(dir_ / "host/app.conf", "/app.conf");
    const std::string message = thrown_message([&] { remove_mount_point(mount_point); });
    EXPECT_EQ(message, "")
        << "expected: the mount point file is still mounted on, so it should be skipped like any "
           "entry with a mount on it, without an error\nhappened: got \""
        << message << "\"";
    EXPECT_TRUE(is_mount_point(image_ / "app.conf"))
        << "expected: the file volume should stay mounted\nhappened: rootfs/app.conf is no longer "
           "a mount point";
}

// hint: 4
TEST_F(RemoveMountPoint, LeavesAMountPointFileThatIsNoLongerEmpty) {
    write_file(dir_ / "host/app.conf", "setting=1\n");
    const MountPoint mount_point = set_up(dir_ / "host/app.conf", "/app.conf");
    write_file(image_ / "app.conf", "written later");
    remove_mount_point(mount_point);
    EXPECT_TRUE(exists_no_follow(image_ / "app.conf"))
        << "expected: setup made an empty file; a file with data in it is no longer what setup "
           "made and must stay";
}

// hint: 4
TEST_F(RemoveMountPoint, LeavesASymlinkThatReplacedACreatedPath) {
    make_directory(dir_ / "outside");
    const MountPoint mount_point = set_up(source_, "/data");
    ASSERT_EQ(::rmdir((image_ / "data").c_str()), 0) << "happened: test setup: cannot remove /data";
    fs::create_directory_symlink(dir_ / "outside", image_ / "data");
    remove_mount_point(mount_point);
    EXPECT_TRUE(is_symlink_no_follow(image_ / "data"))
        << "expected: a symlink is not what setup made: it should stay";
    EXPECT_TRUE(is_real_directory(dir_ / "outside"))
        << "expected: the directory outside the rootfs that the symlink points to must not be "
           "removed";
}

// hint: 6
TEST_F(RemoveMountPoint, LeavesAnotherDirectoryRenamedIntoThePlaceOfACreatedOne) {
    // Another volume's empty mount point, say, renamed to the name of the one setup made.
    make_directory(image_ / "other");
    const MountPoint mount_point = set_up(source_, "/data");
    exchange(image_ / "data", image_ / "other");
    remove_mount_point(mount_point);
    EXPECT_TRUE(is_real_directory(image_ / "data"))
        << "happened: /data is now another directory than the one setup made (another device and "
           "inode): it is not yours to remove. Compare identities before removing.";
}

// hint: 4
TEST_F(RemoveMountPoint, SkipsCreatedPathsThatAreAlreadyGone) {
    const MountPoint mount_point = set_up(source_, "/a/b");
    ASSERT_EQ(::rmdir((image_ / "a/b").c_str()), 0)
        << "happened: test setup: cannot remove /a/b, which setup should have created";
    ASSERT_EQ(::rmdir((image_ / "a").c_str()), 0)
        << "happened: test setup: cannot remove /a, which setup should have created";
    const std::string message = thrown_message([&] { remove_mount_point(mount_point); });
    EXPECT_EQ(message, "")
        << "expected: paths that are already gone should be skipped, not an error";
}

// Right before each act of unmount_volume(), the directory /p that holds the mount point
// /p/data is swapped for a symlink to a host directory (the canary) where something else
// is mounted at "data". A path looked up again leads to the canary's mount.
// hint: 6
TEST_F(UnmountVolume, RaceASymlinkSwappedInOnTheWayToTheMountPointAtEachAct) {
    for (int act = 1; act <= 12; ++act) {
        const TempDir dir;
        make_directory(dir / "rootfs");
        make_directory(dir / "rootfs/p");
        make_directory(dir / "canary");
        make_directory(dir / "canary/data");
        const ScopedTmpfs canary(dir / "canary/data");
        write_file(dir / "canary/data/canary.txt", "another mount of the host");
        const Rootfs rootfs(dir / "rootfs");
        MountPoint mount_point = setup_volume(make_volume(source_, "/p/data"), rootfs);
        mount_volume(mount_point);
        std::string error;
        {
            const RaceHook hook(act, [&] { swap_for_symlink(dir / "rootfs/p", dir / "canary"); });
            error = thrown_message([&] { unmount_volume(std::move(mount_point)); });
        }
        const bool canary_intact =
            is_mount_point(dir / "canary/data") && exists_no_follow(dir / "canary/data/canary.txt");
        EXPECT_TRUE(canary_intact)
            << "happened: with /p swapped for a symlink right before act " << act
            << ", the mount the symlink leads to was unmounted or emptied. Reach the volume's "
               "mount through the descriptors you hold.";
        EXPECT_EQ(error, "") << "expected: the volume should be unmounted all the same (act " << act
                             << ")";
        const fs::path real =
            exists_no_follow(dir / "rootfs/p.moved") ? dir / "rootfs/p.moved" : dir / "rootfs/p";
        EXPECT_TRUE(mounts_below(real).empty())
            << "expected: the volume should be unmounted from where setup made it (act " << act
            << ")";
        EXPECT_FALSE(exists_no_follow(real / "data"))
            << "expected: its mount point should be removed from where setup made it (act " << act
            << ")";
        detach_mounts_below(dir / "rootfs");
    }
    expect_source_intact();
}

// Right before each act of remove_mount_point(), the directory that holds what setup
// created is swapped for a symlink to a host directory holding an empty directory of the
// same name. rmdir(2) of a path looked up again removes that one.
// hint: 6
TEST_F(RemoveMountPoint, RaceASymlinkSwappedInOnTheWayToACreatedDirectoryAtEachAct) {
    for (int act = 1; act <= 8; ++act) {
        const TempDir dir;
        make_directory(dir / "rootfs");
        make_directory(dir / "rootfs/p");
        make_directory(dir / "canary");
        make_directory(dir / "canary/q");
        make_directory(dir / "canary/q/data");
        const std::string before = tree_listing(dir / "canary");
        const Rootfs rootfs(dir / "rootfs");
        const MountPoint mount_point = setup_volume(make_volume(source_, "/p/q/data"), rootfs);
        {
            const RaceHook hook(act, [&] { swap_for_symlink(dir / "rootfs/p", dir / "canary"); });
            thrown_message([&] { remove_mount_point(mount_point); });
        }
        EXPECT_EQ(tree_listing(dir / "canary"), before)
            << "happened: with a directory on the way swapped for a symlink right before act "
            << act
            << ", a host directory that setup never made was removed. Remove each entry relative "
               "to the directory it was made in (held open), with unlinkat(2).";
    }
}

}  // namespace
