/// @file integrate_test.cpp
/// @brief Checks of step 4: setup_container_volumes() and cleanup_container_volumes().
///
/// Built twice: test-04-integrate-solutions (the reference) and test-04-integrate-steps
/// (your steps/04-integrate/integrate.cpp, with the reference steps 1 to 3). Each test runs
/// in a temporary directory holding fake host directories ("host/") and a fake image
/// ("rootfs/"), in a private mount namespace whose "/" is shared like on a systemd host;
/// the temporary directory itself is a private mount, as the container's "/" is once the
/// runtime made it private. A test that leaves a mount behind fails. (That no volume reaches the
/// real host's mount table is checked by the end-to-end Bats suite.)
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstring>
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

std::string destinations(const std::vector<MountPoint>& mounted) {
    std::string text = "[";
    for (std::size_t i = 0; i < mounted.size(); ++i) {
        text += (i ? ", " : "") + mounted[i].destination.string();
    }
    return text + "]";
}

std::string errno_name(int error) {
    return error == 0 ? "success" : std::strerror(error);
}

class SetupContainerVolumes : public ::testing::Test {
protected:
    SetupContainerVolumes() { make_directory(dir_ / "host"); }

    /// A host directory host/<name> holding a file "<name>.txt".
    fs::path source(const std::string& name) {
        const fs::path path = dir_ / "host" / name;
        make_directory(path);
        write_file(path / (name + ".txt"), "from " + name);
        return path;
    }

    /// Cleans up @p mounted (the test's job at its end); records a failure if that throws.
    void cleanup(std::vector<MountPoint>& mounted) {
        const std::string error =
            thrown_message([&] { cleanup_container_volumes(std::move(mounted)); });
        EXPECT_EQ(error, "") << "expected: cleanup_container_volumes should succeed here";
    }

    TempDir dir_;
    const fs::path image_ = dir_ / "rootfs";
    // Like the runtime, which makes "/" private in the container's namespace before it
    // mounts volumes: without it, a volume nested in another would also appear in the
    // host's view of the outer source (mount propagation).
    PrivateSubtree private_{dir_.path()};
    // Opened after the private mount above, so that it looks through it.
    const Rootfs rootfs_{(make_directory(image_), image_)};
};

// hint: 1
TEST_F(SetupContainerVolumes, MountsParentsFirstWhateverTheOrderGiven) {
    const fs::path outer = source("outer");
    const fs::path inner = source("inner");
    std::vector<MountPoint> mounted =
        setup_container_volumes({make_volume(inner, "/d/in"), make_volume(outer, "/d")}, rootfs_);

    EXPECT_EQ(destinations(mounted), "[/d, /d/in]")
        << "expected: the volumes should be mounted, and returned, parents first";
    EXPECT_TRUE(exists_no_follow(image_ / "d/outer.txt"))
        << "expected: /d should show host/outer\nhappened: it holds " << listing(image_ / "d");
    EXPECT_TRUE(exists_no_follow(image_ / "d/in/inner.txt"))
        << "expected: /d/in should show host/inner\nhappened: it holds " << listing(image_ / "d/in")
        << " (mounted before /d, /d/in is hidden under it)";
    cleanup(mounted);
}

// hint: 2
TEST_F(SetupContainerVolumes, AFailingVolumeLeavesNothingMountedAndNoMountPointBehind) {
    const fs::path first = source("first");
    write_file(dir_ / "host/second.conf", "second");
    const fs::path missing = dir_ / "host/missing";
    const std::string message = thrown_message([&] {
        setup_container_volumes({make_volume(first, "/first"),
                                 make_volume(dir_ / "host/second.conf", "/etc/second.conf"),
                                 make_volume(missing, "/third", false, false)},
                                rootfs_);
    });

    EXPECT_NE(message.find("source path does not exist: " + missing.string()), std::string::npos)
        << "expected: the error of the third volume should come out as it was\nhappened: got \""
        << message << "\"";
    EXPECT_TRUE(private_.other_mounts().empty())
        << "expected: after a failure no volume may stay mounted\nhappened: left:\n"
        << describe(private_.other_mounts());
    EXPECT_EQ(listing(image_), "[]") << "expected: the mount points created for the volumes should "
                                        "be removed again\nhappened: the rootfs holds "
                                     << listing(image_);
    EXPECT_EQ(listing(first), "[first.txt]") << "expected: the host's files must stay";
}

// hint: 3
TEST_F(SetupContainerVolumes, AVolumeThatFailsToMountHasItsNewMountPointRemoved) {
    // A source on an unbindable mount: setup_volume succeeds, mount(2) fails with EINVAL.
    make_directory(dir_ / "unbindable");
    const ScopedTmpfs tmpfs(dir_ / "unbindable");
    ASSERT_EQ(::mount(nullptr, (dir_ / "unbindable").c_str(), nullptr, MS_UNBINDABLE, nullptr), 0)
        << "happened: test setup: cannot make the tmpfs unbindable";
    make_directory(dir_ / "unbindable/source");

    const std::string message = thrown_message([&] {
        setup_container_volumes(
            {make_volume(source("good"), "/good"), make_volume(dir_ / "unbindable/source", "/bad")},
            rootfs_);
    });
    EXPECT_NE(message, "") << "expected: the failed mount should be reported as an error";
    EXPECT_EQ(listing(image_), "[]")
        << "expected: /bad was created but never mounted, and /good was undone: both mount points "
           "should be removed\nhappened: the rootfs holds "
        << listing(image_);
    EXPECT_TRUE(mounts_below(image_).empty())
        << "expected: no volume may stay mounted\nhappened: left:\n"
        << describe(mounts_below(image_));
}

// hint: 4
TEST_F(SetupContainerVolumes, ReadOnlyVolumeRefusesWrites) {
    const fs::path data = source("data");
    std::vector<MountPoint> mounted =
        setup_container_volumes({make_volume(data, "/data", true)}, rootfs_);
    const int in_container = write_errno(image_ / "data/new.txt");
    const int on_host = write_errno(data / "new.txt");
    cleanup(mounted);
    EXPECT_EQ(in_container, EROFS)
        << "expected: writing into a read-only volume should fail with EROFS\nhappened: got "
        << errno_name(in_container);
    EXPECT_EQ(on_host, 0)
        << "expected: the host's source itself should stay writable\nhappened: got "
        << errno_name(on_host);
}

// hint: 4
TEST_F(SetupContainerVolumes, ReadOnlyFileVolumeRefusesWrites) {
    const fs::path file = dir_ / "host/app.conf";
    write_file(file, "setting=1\n");
    std::vector<MountPoint> mounted =
        setup_container_volumes({make_volume(file, "/etc/app.conf", true)}, rootfs_);
    const int in_container = append_errno(image_ / "etc/app.conf");
    cleanup(mounted);
    EXPECT_EQ(in_container, EROFS)
        << "expected: writing to a read-only file volume should fail with EROFS\nhappened: got "
        << errno_name(in_container);
    EXPECT_EQ(read_file(file), "setting=1\n") << "expected: the host's file must keep its content";
}

// hint: 4
TEST_F(SetupContainerVolumes, ReadOnlyVolumeRefusesWritesThroughASubmountOfItsSource) {
    const fs::path data = source("data");
    make_directory(data / "disk");
    const ScopedTmpfs disk(data / "disk");  // a disk the host mounted below the source
    std::vector<MountPoint> mounted =
        setup_container_volumes({make_volume(data, "/data", true)}, rootfs_);
    const int in_container = write_errno(image_ / "data/disk/new.txt");
    const int on_host = write_errno(data / "disk/new.txt");
    cleanup(mounted);
    EXPECT_EQ(in_container, EROFS)
        << "expected: the submount at /data/disk belongs to the read-only volume and should refuse "
           "writes too (a remount with MS_RDONLY changes only the top mount)\nhappened: got "
        << errno_name(in_container);
    EXPECT_EQ(on_host, 0)
        << "expected: the host's own mount below the source should stay writable\nhappened: got "
        << errno_name(on_host);
}

// hint: 4
TEST_F(SetupContainerVolumes, ReadWriteVolumeNestedInAReadOnlyOneStaysWritable) {
    const fs::path outer = source("outer");
    const fs::path inner = source("inner");
    make_directory(inner / "disk");
    const ScopedTmpfs disk(inner / "disk");
    std::vector<MountPoint> mounted = setup_container_volumes(
        {make_volume(outer, "/d", true), make_volume(inner, "/d/in", false)}, rootfs_);
    const int outer_write = write_errno(image_ / "d/new.txt");
    const int inner_write = write_errno(image_ / "d/in/new.txt");
    const int inner_disk_write = write_errno(image_ / "d/in/disk/new.txt");
    cleanup(mounted);
    EXPECT_EQ(outer_write, EROFS)
        << "expected: /d is read-only and should refuse writes\nhappened: got "
        << errno_name(outer_write);
    EXPECT_EQ(inner_write, 0)
        << "expected: /d/in is a read-write volume of its own inside the read-only /d: it should "
           "keep its own mode and accept writes\nhappened: got "
        << errno_name(inner_write);
    EXPECT_EQ(inner_disk_write, 0)
        << "expected: the submount of the read-write /d/in should stay writable too\nhappened: got "
        << errno_name(inner_disk_write);
}

// hint: 4
TEST_F(SetupContainerVolumes, ReadOnlyVolumeNestedInAReadWriteOneIsReadOnly) {
    const fs::path outer = source("outer");
    const fs::path inner = source("inner");
    std::vector<MountPoint> mounted = setup_container_volumes(
        {make_volume(outer, "/d", false), make_volume(inner, "/d/in", true)}, rootfs_);
    const int outer_write = write_errno(image_ / "d/new.txt");
    const int inner_write = write_errno(image_ / "d/in/new.txt");
    cleanup(mounted);
    EXPECT_EQ(outer_write, 0)
        << "expected: /d is read-write and should accept writes\nhappened: got "
        << errno_name(outer_write);
    EXPECT_EQ(inner_write, EROFS)
        << "expected: /d/in is read-only and should refuse writes\nhappened: got "
        << errno_name(inner_write);
}

class CleanupContainerVolumes : public SetupContainerVolumes {};

// hint: 5
TEST_F(CleanupContainerVolumes, UnmountsNestedVolumesFirstAndRemovesTheirMountPoints) {
    const fs::path outer = source("outer");
    const fs::path inner = source("inner");
    const fs::path deepest = source("deepest");
    std::vector<MountPoint> mounted =
        setup_container_volumes({make_volume(outer, "/d"), make_volume(inner, "/d/in"),
                                 make_volume(deepest, "/d/in/deeper")},
                                rootfs_);
    const std::string error =
        thrown_message([&] { cleanup_container_volumes(std::move(mounted)); });

    EXPECT_EQ(error, "")
        << "expected: cleanup should succeed when nested volumes are unmounted innermost first (an "
           "outer one is busy while something is mounted in it)";
    EXPECT_TRUE(private_.other_mounts().empty())
        << "expected: every volume should be unmounted\nhappened: left:\n"
        << describe(private_.other_mounts());
    EXPECT_EQ(listing(image_), "[]") << "expected: the mount point /d created in the image should "
                                        "be removed\nhappened: the rootfs holds "
                                     << listing(image_);
    EXPECT_EQ(listing(outer), "[outer.txt]")
        << "expected: the mount point of /d/in, created inside host/outer, should be "
           "removed\nhappened: host/outer holds "
        << listing(outer);
    EXPECT_EQ(listing(inner), "[inner.txt]")
        << "expected: the mount point of /d/in/deeper, created inside host/inner, should be "
           "removed\nhappened: host/inner holds "
        << listing(inner);
}

// hint: 5
TEST_F(CleanupContainerVolumes, CarriesOnPastAFailureAndRethrowsIt) {
    std::vector<MountPoint> mounted =
        setup_container_volumes({make_volume(source("a"), "/a"), make_volume(source("b"), "/b"),
                                 make_volume(source("c"), "/c")},
                                rootfs_);
    // Someone unmounted /b and mounted something else there: not the volume's to unmount.
    ASSERT_EQ(::umount2((image_ / "b").c_str(), 0), 0) << "happened: test setup: cannot unmount /b";
    const ScopedTmpfs other(image_ / "b");

    const std::string error =
        thrown_message([&] { cleanup_container_volumes(std::move(mounted)); });
    EXPECT_NE(error, "")
        << "expected: the failure on /b should be thrown once all volumes had their turn";
    EXPECT_NE(error.find("/b"), std::string::npos)
        << "expected: the error thrown should be the one of /b\nhappened: got \"" << error << "\"";
    EXPECT_TRUE(mounts_at(image_ / "a").empty() && mounts_at(image_ / "c").empty())
        << "expected: /a comes after /b in the (reverse) cleanup order and must be unmounted all "
           "the same\nhappened: left:\n"
        << describe(private_.other_mounts());
    EXPECT_FALSE(exists_no_follow(image_ / "a"))
        << "expected: the mount point /a should be removed";
    EXPECT_FALSE(exists_no_follow(image_ / "c"))
        << "expected: the mount point /c should be removed";
}

// hint: 5
TEST_F(CleanupContainerVolumes, WithTwoFailuresThrowsTheFirst) {
    std::vector<MountPoint> mounted =
        setup_container_volumes({make_volume(source("a"), "/a"), make_volume(source("b"), "/b"),
                                 make_volume(source("c"), "/c")},
                                rootfs_);
    // /a and /c were unmounted and something else mounted there: two failures. The
    // cleanup goes newest first, so /c fails first.
    ASSERT_EQ(::umount2((image_ / "a").c_str(), 0), 0) << "happened: test setup: cannot unmount /a";
    ASSERT_EQ(::umount2((image_ / "c").c_str(), 0), 0) << "happened: test setup: cannot unmount /c";
    const ScopedTmpfs other_a(image_ / "a");
    const ScopedTmpfs other_c(image_ / "c");

    const std::string error =
        thrown_message([&] { cleanup_container_volumes(std::move(mounted)); });
    EXPECT_TRUE(error.find("/c") != std::string::npos && error.find("/a") == std::string::npos)
        << "happened: the first failure (/c, cleaned up first) is the one thrown, once every "
           "volume had its turn; got \""
        << error << "\"";
    EXPECT_TRUE(mounts_at(image_ / "b").empty())
        << "expected: /b should be unmounted all the same\nhappened: mounts left:\n"
        << describe(mounts_at(image_ / "b"));
}

// hint: 6
TEST_F(SetupContainerVolumes, RefusesTwoDestinationsThatAreOnePlaceThroughASymlinkOfTheImage) {
    // The image holds /alias -> /aliasdir: as strings the destinations differ, resolved
    // they are one directory, and the second volume would be stacked on the first.
    make_directory(image_ / "aliasdir");
    fs::create_directory_symlink("/aliasdir", image_ / "alias");
    const fs::path first = source("first");
    const fs::path second = source("second");
    const std::string message = thrown_message([&] {
        setup_container_volumes(
            {make_volume(first, "/aliasdir", true), make_volume(second, "/alias")}, rootfs_);
    });
    EXPECT_NE(message.find("duplicate mount point: /alias"), std::string::npos)
        << "expected: two volumes at one place should be refused with \"duplicate mount point: "
           "/alias (same as /aliasdir)\": compare the mount points you hold (same_place()), not "
           "the strings\nhappened: got \""
        << message << "\"";
    EXPECT_TRUE(private_.other_mounts().empty())
        << "expected: nothing may stay mounted\nhappened: left:\n"
        << describe(private_.other_mounts());
    EXPECT_EQ(listing(image_), "[alias, aliasdir]") << "expected: the image should be as it was";
}

// hint: 6
TEST_F(SetupContainerVolumes, RefusesADestinationThatResolvesOntoAnEarlierVolume) {
    // The outer volume's source holds self -> /d: /d/self, resolved once /d is mounted, is
    // /d itself, the root of the outer volume's mount.
    const fs::path outer = source("outer");
    fs::create_directory_symlink("/d", outer / "self");
    const fs::path inner = source("inner");
    const std::string message = thrown_message([&] {
        setup_container_volumes({make_volume(outer, "/d"), make_volume(inner, "/d/self")}, rootfs_);
    });
    EXPECT_NE(message.find("duplicate mount point: /d/self"), std::string::npos)
        << "expected: a destination that resolves onto an earlier volume's mount would hide it: it "
           "should be refused with \"duplicate mount point: /d/self (same as /d)\"\nhappened: got "
           "\""
        << message << "\"";
    EXPECT_TRUE(private_.other_mounts().empty())
        << "expected: nothing may stay mounted\nhappened: left:\n"
        << describe(private_.other_mounts());
    EXPECT_EQ(listing(outer), "[outer.txt, self]")
        << "expected: the outer source should be as it was";
}

// Another container shares the outer volume's source and, right before each act of the
// cleanup, swaps the directory the nested mount point was made in for a symlink to a host
// directory (the canary). The cleanup must remove what it made, and nothing of the canary.
// hint: 5
TEST_F(CleanupContainerVolumes, RaceASharedSourceChangedAtEachActOfTheCleanup) {
    for (int act = 1; act <= 30; ++act) {
        const TempDir dir;
        const PrivateSubtree private_dir(dir.path());
        make_directory(dir / "rootfs");
        make_directory(dir / "outer");
        make_directory(dir / "inner");
        make_directory(dir / "canary");
        make_directory(dir / "canary/in");
        const Rootfs rootfs(dir / "rootfs");
        std::vector<MountPoint> mounted = setup_container_volumes(
            {make_volume(dir / "outer", "/d"), make_volume(dir / "inner", "/d/x/in")}, rootfs);
        {
            const RaceHook hook(act, [&] { swap_for_symlink(dir / "outer/x", dir / "canary"); });
            thrown_message([&] { cleanup_container_volumes(std::move(mounted)); });
        }
        EXPECT_TRUE(is_real_directory(dir / "canary/in"))
            << "happened: with a directory of the shared source swapped for a symlink right before "
               "act "
            << act << " of the cleanup, a host directory it never made was removed";
        EXPECT_TRUE(private_dir.other_mounts().empty())
            << "expected: every volume should be unmounted (act " << act << ")\nhappened: left:\n"
            << describe(private_dir.other_mounts());
        detach_mounts_below(dir / "rootfs");
    }
}

}  // namespace
