/// @file setup_test.cpp
/// @brief Checks of step 1: setup_volume() prepares the host source and the mount point.
///
/// Built twice: test-01-setup-solutions (the reference) and test-01-setup-steps (your
/// steps/01-setup/setup.cpp). Every test works in a temporary directory holding a fake
/// host directory ("host/") and a fake image ("rootfs/"); nothing here mounts anything.
/// The race checks at the end change the file system right before each act of your code
/// (race_hook.hpp): what you hold open must not care, what you look up again by name does.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "container/rootfs.hpp"
#include "container/volume_steps.hpp"
#include "race_hook.hpp"
#include "temp_dir.hpp"
#include "test_helpers.hpp"

namespace fs = std::filesystem;
using namespace container;
using namespace container::test_support;

namespace {

class SetupVolume : public ::testing::Test {
protected:
    SetupVolume() {
        make_directory(host_);
        make_directory(image_);
    }

    TempDir dir_;
    const fs::path host_ = dir_ / "host";
    const fs::path image_ = dir_ / "rootfs";
};

// hint: 3
TEST_F(SetupVolume, CreatesAMissingSourceAndItsParentsWithMode0755EvenUnderUmask077) {
    const Rootfs rootfs(image_);
    const fs::path source = host_ / "a/b/c";
    {
        ScopedUmask umask(077);
        setup_volume(make_volume(source, "/data"), rootfs);
    }
    for (const fs::path& path : {host_ / "a", host_ / "a/b", source}) {
        ASSERT_TRUE(is_real_directory(path))
            << "expected: the missing source directory " << path << " should have been created";
        EXPECT_EQ(mode_of(path), 0755U) << "expected: the new source directory " << path
                                        << " should have mode 0755 even with umask 077 (mkdir "
                                           "applies the umask, chmod does not)\nhappened: got "
                                        << octal(mode_of(path));
    }
}

// hint: 4
TEST_F(SetupVolume, CreatesMountPointDirectoriesWithMode0755EvenUnderUmask077) {
    const Rootfs rootfs(image_);
    make_directory(host_ / "source");
    {
        ScopedUmask umask(077);
        setup_volume(make_volume(host_ / "source", "/x/y/z"), rootfs);
    }
    for (const char* inside : {"x", "x/y", "x/y/z"}) {
        const fs::path path = image_ / inside;
        ASSERT_TRUE(is_real_directory(path)) << "expected: the mount point directory /" << inside
                                             << " should have been created in the rootfs";
        EXPECT_EQ(mode_of(path), 0755U)
            << "expected: the new mount point directory /" << inside
            << " should have mode 0755 even with umask 077\nhappened: got " << octal(mode_of(path));
    }
}

// hint: 3
TEST_F(SetupVolume, KeepsTheModeOfAnExistingSourceDirectory) {
    const Rootfs rootfs(image_);
    const fs::path source = host_ / "private";
    make_directory(source, 0700);
    setup_volume(make_volume(source, "/data"), rootfs);
    EXPECT_EQ(mode_of(source), 0700U) << "expected: an existing source directory belongs to the "
                                         "user and should keep its mode 0700\nhappened: got "
                                      << octal(mode_of(source));
}

// hint: 3
TEST_F(SetupVolume, KeepsTheModeOfAnExistingParentOfAMissingSource) {
    const Rootfs rootfs(image_);
    make_directory(host_ / "private", 0700);
    setup_volume(make_volume(host_ / "private/new", "/data"), rootfs);
    EXPECT_EQ(mode_of(host_ / "private"), 0700U)
        << "expected: the existing directory the new source is made in belongs to the user and "
           "should keep its mode 0700\nhappened: got "
        << octal(mode_of(host_ / "private"));
}

// hint: 4
TEST_F(SetupVolume, GivesAFileSourceAnEmptyRegularFileAsMountPoint) {
    const Rootfs rootfs(image_);
    const fs::path source = host_ / "app.conf";
    write_file(source, "setting=1\n");
    const MountPoint result = setup_volume(make_volume(source, "/etc/app.conf"), rootfs);

    const fs::path mount_point = image_ / "etc/app.conf";
    ASSERT_TRUE(is_real_file(mount_point))
        << "expected: a file source needs a regular file as mount point (a directory would make "
           "mount(2) fail with ENOTDIR)\nhappened: /etc/app.conf is no regular file; the rootfs "
           "/etc holds "
        << listing(image_ / "etc");
    EXPECT_EQ(read_file(mount_point), "")
        << "expected: the mount point file should be empty: it is only a place to mount on";
    EXPECT_TRUE(is_real_directory(image_ / "etc"))
        << "expected: the missing parent /etc should have been created";
    EXPECT_EQ(created_paths(result), (std::vector<fs::path>{"/etc", "/etc/app.conf"}))
        << "expected: created should list the parent, then the file\nhappened: got "
        << show(created_paths(result));
    EXPECT_EQ(read_file(source), "setting=1\n") << "expected: the source file must not be changed";
}

// hint: 4
TEST_F(SetupVolume, FollowsASymlinkedSourceToChooseTheKindOfMountPoint) {
    const Rootfs rootfs(image_);
    make_directory(host_ / "real");
    fs::create_directory_symlink(host_ / "real", host_ / "link");
    setup_volume(make_volume(host_ / "link", "/data"), rootfs);
    EXPECT_TRUE(is_real_directory(image_ / "data"))
        << "expected: the source is a symlink to a directory, and mount(2) follows it: the mount "
           "point should be a directory";
}

// hint: 4
TEST_F(SetupVolume, ListsTheCreatedPathsOutermostFirst) {
    const Rootfs rootfs(image_);
    make_directory(host_ / "source");
    make_directory(image_ / "a");
    const MountPoint result = setup_volume(make_volume(host_ / "source", "/a/b/c"), rootfs);
    EXPECT_EQ(result.destination, fs::path("/a/b/c"))
        << "expected: destination should be the volume's container path";
    EXPECT_EQ(created_paths(result), (std::vector<fs::path>{"/a/b", "/a/b/c"}))
        << "expected: created should list exactly the directories that were missing (/a existed), "
           "outermost first, as container paths\nhappened: got "
        << show(created_paths(result));
}

// hint: 4
TEST_F(SetupVolume, ListsNothingAndTouchesNothingWhenEverythingAlreadyExisted) {
    const Rootfs rootfs(image_);
    make_directory(host_ / "source");
    make_directory(image_ / "data", 0700);
    write_file(image_ / "data/from-image.txt", "image file");
    const MountPoint result = setup_volume(make_volume(host_ / "source", "/data"), rootfs);
    EXPECT_TRUE(result.created.empty())
        << "happened: the mount point existed in the image, so nothing was created, but created is "
        << show(created_paths(result)) << " (cleanup would delete the image's directory)";
    EXPECT_EQ(mode_of(image_ / "data"), 0700U)
        << "expected: the image's directory should keep its mode";
    EXPECT_EQ(read_file(image_ / "data/from-image.txt"), "image file")
        << "expected: the image's files must not be touched";
}

// hint: 4
TEST_F(SetupVolume, KeepsAnExistingMountPointFileOfTheImage) {
    const Rootfs rootfs(image_);
    write_file(host_ / "hosts", "127.0.0.1 host\n");
    make_directory(image_ / "etc");
    write_file(image_ / "etc/hosts", "image\n");
    const MountPoint result = setup_volume(make_volume(host_ / "hosts", "/etc/hosts"), rootfs);
    EXPECT_TRUE(result.created.empty()) << "expected: /etc/hosts existed in the image: nothing "
                                           "should be listed as created\nhappened: got "
                                        << show(created_paths(result));
    EXPECT_EQ(read_file(image_ / "etc/hosts"), "image\n")
        << "expected: the image's existing file must be neither truncated nor replaced";
}

// hint: 5
TEST_F(SetupVolume, RecordsWhereTheMountPointReallyIsWhenTheImageHasASymlinkOnTheWay) {
    // Images often hold such links (/var/run -> /run). A volume at /var/run lands where
    // the link leads, and the cleanup, which never follows a symlink, must find it there.
    make_directory(image_ / "run");
    make_directory(image_ / "var");
    fs::create_directory_symlink("/run", image_ / "var/run");
    make_directory(host_ / "source");
    const Rootfs rootfs(image_);
    const MountPoint result = setup_volume(make_volume(host_ / "source", "/var/run"), rootfs);
    EXPECT_EQ(result.destination, fs::path("/run"))
        << "expected: with /var/run -> /run in the image, the mount point of /var/run is /run: "
           "destination should say where it really is (Rootfs::canonical)\nhappened: got "
        << result.destination;
    EXPECT_TRUE(result.created.empty()) << "expected: /run existed in the image: nothing should be "
                                           "listed as created\nhappened: got "
                                        << show(created_paths(result));
}

// hint: 1
TEST_F(SetupVolume, RefusesAMissingMountSourceWithAMessageNamingIt) {
    const Rootfs rootfs(image_);
    const fs::path source = host_ / "missing";
    const std::string message =
        thrown_message([&] { setup_volume(make_volume(source, "/data", false, false), rootfs); });
    const std::string expected = "source path does not exist: " + source.string();
    EXPECT_NE(message.find(expected), std::string::npos)
        << "expected: a --mount volume (create_missing_source = false) with a missing source "
           "should fail with a message saying \""
        << expected << "\"\nhappened: got \"" << message << "\"";
    EXPECT_FALSE(exists_no_follow(source)) << "expected: a --mount source must never be created";
    EXPECT_EQ(listing(image_), "[]") << "expected: nothing should be created in the rootfs when "
                                        "the source is refused\nhappened: found "
                                     << listing(image_);
}

// hint: 4
TEST_F(SetupVolume, AnAbsoluteSymlinkInTheImageCannotPutTheMountPointOnTheHost) {
    // The image holds /evil -> <an absolute host path>, like "/evil -> /etc". Joining
    // rootfs + "/evil/y" as strings would create <host path>/y on the host.
    const fs::path outside = dir_ / "outside";  // stands for the host's /etc
    make_directory(outside);
    fs::create_directory_symlink(outside, image_ / "evil");
    // Inside the image the same absolute path exists: that is where the link leads.
    fs::create_directories(image_ / outside.relative_path());
    make_directory(host_ / "source");
    const Rootfs rootfs(image_);

    thrown_message([&] { setup_volume(make_volume(host_ / "source", "/evil/y"), rootfs); });
    EXPECT_EQ(listing(outside), "[]") << "expected: a symlink of the image must be resolved inside "
                                         "the rootfs\nhappened: the host directory it names got "
                                      << listing(outside);
    EXPECT_TRUE(is_real_directory(image_ / outside.relative_path() / "y"))
        << "expected: the mount point should be created where the link leads inside the rootfs ("
        << (image_ / outside.relative_path() / "y") << ")";
}

// hint: 4
TEST_F(SetupVolume, ADotDotSymlinkInTheImageCannotClimbOutOfTheRootfs) {
    // rootfs at <tmp>/deep/er/rootfs; the image holds /up -> ../.. which, followed on the
    // host, leads to <tmp>/deep; inside the rootfs, ".." stops at its root.
    const fs::path deep = dir_ / "deep";
    fs::create_directories(deep / "er/rootfs");
    const fs::path image = deep / "er/rootfs";
    fs::create_directory_symlink("../..", image / "up");
    make_directory(host_ / "source");
    const Rootfs rootfs(image);

    thrown_message([&] { setup_volume(make_volume(host_ / "source", "/up/escaped"), rootfs); });
    EXPECT_FALSE(exists_no_follow(deep / "escaped"))
        << "expected: \"..\" in a symlink of the image must stop at the rootfs\nhappened: a "
           "directory was created outside of it, at "
        << (deep / "escaped");
    EXPECT_TRUE(is_real_directory(image / "escaped"))
        << "expected: /up/escaped should resolve to /escaped inside the rootfs and be created "
           "there";
}

// hint: 4
TEST_F(SetupVolume, AMountPointThatCannotBeCreatedGivesAnErrorNamingIt) {
    make_directory(host_ / "source");
    write_file(image_ / "file", "a file, not a directory");
    const Rootfs rootfs(image_);
    const std::string message =
        thrown_message([&] { setup_volume(make_volume(host_ / "source", "/file/sub"), rootfs); });
    EXPECT_NE(message.find("/file"), std::string::npos)
        << "expected: creating /file/sub below a regular file must fail with an error naming the "
           "path\nhappened: got \""
        << message << "\"";
}

// hint: 2
TEST_F(SetupVolume, ASourceThatCannotBeCreatedGivesAnErrorNamingIt) {
    write_file(host_ / "plain", "a file, not a directory");
    const Rootfs rootfs(image_);
    const fs::path source = host_ / "plain/sub";
    const std::string message =
        thrown_message([&] { setup_volume(make_volume(source, "/data"), rootfs); });
    EXPECT_NE(message.find((host_ / "plain").string()), std::string::npos)
        << "expected: creating the source " << source
        << " below a regular file must fail with an error naming the path\nhappened: got \""
        << message << "\"";
    EXPECT_EQ(listing(image_), "[]") << "expected: nothing should be created in the rootfs when "
                                        "the source fails\nhappened: found "
                                     << listing(image_);
}

// hint: 4
TEST_F(SetupVolume, HoldsTheMountPointItCreatedAndRecordsWhatItIs) {
    make_directory(host_ / "source");
    make_directory(image_ / "a");
    const Rootfs rootfs(image_);
    const MountPoint result = setup_volume(make_volume(host_ / "source", "/a/b/c"), rootfs);
    ASSERT_TRUE(result.target)
        << "expected: target should hold the mount point open (a descriptor)";
    EXPECT_EQ(identity_of(result.target), identity_at(image_ / "a/b/c"))
        << "expected: target should be the directory that was created at /a/b/c";
    EXPECT_EQ(result.identity, identity_at(image_ / "a/b/c"))
        << "expected: identity should be the device and inode of the mount point";
    ASSERT_TRUE(result.parent)
        << "expected: parent should hold the directory of the mount point open";
    EXPECT_EQ(identity_of(result.parent), identity_at(image_ / "a/b"))
        << "expected: parent should be the directory /a/b\nhappened: which holds the mount point";
    EXPECT_EQ(result.name, "c")
        << "expected: name should be the mount point's name in its directory";
    ASSERT_EQ(result.created.size(), 2U) << "expected: created should list /a/b and /a/b/c";
    EXPECT_EQ(result.created[0].identity, identity_at(image_ / "a/b"))
        << "expected: each created entry should carry the identity of what was created";
    EXPECT_EQ(result.created[1].identity, identity_at(image_ / "a/b/c"))
        << "expected: each created entry should carry the identity of what was created";
    EXPECT_EQ(result.mount_id, 0U) << "expected: nothing is mounted yet: mount_id should be 0";
}

// hint: 2
TEST_F(SetupVolume, HoldsTheSourceOpenAndCopiesTheVolumesSettings) {
    const fs::path source = host_ / "source";
    make_directory(source);
    const Rootfs rootfs(image_);
    const Volume volume = make_volume(source, "/data", true);
    const MountPoint result = setup_volume(volume, rootfs);
    ASSERT_TRUE(result.source)
        << "expected: source should hold the host source open (a descriptor)";
    EXPECT_EQ(identity_of(result.source), identity_at(source))
        << "expected: source should be the volume's source directory";
    EXPECT_TRUE(result.read_only) << "expected: read_only should be copied from the Volume";
    EXPECT_EQ(result.volume, volume.spec)
        << "expected: volume should be the spec as the user wrote it";
}

// hint: 2
TEST_F(SetupVolume, HoldsASourceItCreated) {
    const fs::path source = host_ / "new/source";
    const Rootfs rootfs(image_);
    const MountPoint result = setup_volume(make_volume(source, "/data"), rootfs);
    ASSERT_TRUE(result.source) << "expected: source should hold the source it created open";
    EXPECT_EQ(identity_of(result.source), identity_at(source))
        << "expected: source should be the directory created for the source";
}

// hint: 1
TEST_F(SetupVolume, AnErrorNamesTheVolumeAsTheUserWroteIt) {
    write_file(image_ / "file", "a file, not a directory");
    make_directory(host_ / "source");
    const Rootfs rootfs(image_);
    const Volume volume = make_volume(host_ / "source", "/file/sub");
    const std::string message = thrown_message([&] { setup_volume(volume, rootfs); });
    EXPECT_NE(message.find("volume '" + volume.spec + "'"), std::string::npos)
        << "expected: the error should name the volume as the user wrote it, \"volume '"
        << volume.spec << "': ...\"\nhappened: got \"" << message << "\"";
}

// hint: 4
TEST_F(SetupVolume, AFailureAfterCreatingParentsLeavesNothingBehindAndNamesTheLimit) {
    // The parents /new and /new/dir can be made; the file's name is longer than NAME_MAX.
    write_file(host_ / "app.conf", "setting=1\n");
    const Rootfs rootfs(image_);
    const Volume volume = make_volume(host_ / "app.conf", "/new/dir/" + std::string(300, 'x'));
    const std::string message = thrown_message([&] { setup_volume(volume, rootfs); });
    EXPECT_NE(message.find("volume '"), std::string::npos)
        << "expected: the error should name the volume\nhappened: got \"" << message << "\"";
    EXPECT_NE(message.find("255"), std::string::npos)
        << "expected: the error should name the limit that was hit (a name holds at most 255 "
           "bytes)\nhappened: got \""
        << message << "\"";
    EXPECT_EQ(listing(image_), "[]") << "expected: the parents created before the failure should "
                                        "be removed again\nhappened: the rootfs holds "
                                     << listing(image_);
}

/// How many acts setup_volume() makes for @p source at @p destination, in an image that
/// holds the directories @p in_image.
int acts_of_setup(const fs::path& source, const fs::path& destination,
                  const std::vector<std::string>& in_image) {
    const TempDir dir;
    make_directory(dir / "rootfs");
    for (const std::string& name : in_image) make_directory(dir / "rootfs" / name);
    const Rootfs rootfs(dir / "rootfs");
    return count_acts([&] { setup_volume(make_volume(source, destination), rootfs); });
}

// hint: 2
TEST_F(SetupVolume, AFailureAfterCreatingTheSourceRemovesTheSourceDirectoriesItMade) {
    // The source and its parent are made; then the mount point cannot be (below a file).
    write_file(image_ / "file", "a file, not a directory");
    make_directory(host_ / "kept");
    const Rootfs rootfs(image_);
    const std::string message = thrown_message(
        [&] { setup_volume(make_volume(host_ / "kept/new/source", "/file/sub"), rootfs); });
    EXPECT_NE(message, "")
        << "happened: a mount point below a regular file cannot be made: an error";
    EXPECT_EQ(listing(host_ / "kept"), "[]")
        << "expected: the failed volume should leave nothing: the source directories it created "
           "(new, new/source) should be removed again\nhappened: host/kept holds "
        << listing(host_ / "kept");
}

// A path that leads into the image changes right before an act of setup_volume: /a, on
// the way to the mount point /a/b/c, is renamed and a symlink to a host directory (the
// canary) is put in its place. Code that goes on from the directories it holds keeps
// creating in the real /a, now /a.moved; code that looks a path up again goes where the
// symlink says.
// hint: 6
TEST_F(SetupVolume, RaceASymlinkSwappedInOnTheWayToTheMountPointAtEachAct) {
    make_directory(host_ / "source");
    const auto scenario = [&](int before_act, const fs::path& dir) {
        const fs::path image = dir / "rootfs";
        const fs::path canary = dir / "canary";
        make_directory(image);
        make_directory(image / "a");
        make_directory(canary);
        const Rootfs rootfs(image);
        std::string error;
        MountPoint result;
        bool swapped = false;
        {
            const RaceHook hook(before_act, [&] { swap_for_symlink(image / "a", canary); });
            error = thrown_message(
                [&] { result = setup_volume(make_volume(host_ / "source", "/a/b/c"), rootfs); });
            swapped = hook.swapped();
        }
        EXPECT_EQ(listing(canary), "[]")
            << "happened: with /a swapped for a symlink to a host directory right before act "
            << before_act << ", something was created in that host directory: " << listing(canary)
            << ". Go on from the descriptors you hold; never look the path up again.";
        if (error.empty() && swapped) {
            EXPECT_EQ(identity_of(result.target), identity_at(image / "a.moved/b/c"))
                << "expected: with /a renamed right before act " << before_act
                << ", the mount point held should be the one created in the real /a (now /a.moved)";
        }
    };
    const int acts = acts_of_setup(host_ / "source", "/a/b/c", {"a"});
    ASSERT_GT(acts, 0) << "happened: setup_volume made no act at all";
    for (int act = 1; act <= acts && act <= 40; ++act) {
        const TempDir dir;
        scenario(act, dir.path());
    }
}

// Another directory of the image takes the place of /a (the two are exchanged) right
// before an act: what setup records and holds must be what it created, never the decoy.
// hint: 6
TEST_F(SetupVolume, RaceTwoDirectoriesExchangedAtEachActNeverMakeSetupUseTheOther) {
    make_directory(host_ / "source");
    const auto attempt = [&](int before_act) {
        const TempDir dir;
        const fs::path image = dir / "rootfs";
        make_directory(image);
        make_directory(image / "a");
        make_directory(image / "decoy");
        const FileIdentity decoy = identity_at(image / "decoy");
        const Rootfs rootfs(image);
        MountPoint result;
        std::string error;
        {
            const RaceHook hook(before_act, [&] { exchange(image / "a", image / "decoy"); });
            error = thrown_message(
                [&] { result = setup_volume(make_volume(host_ / "source", "/a/b/c"), rootfs); });
        }
        // Wherever the decoy is now, nothing was made in it.
        const fs::path decoy_now =
            identity_at(image / "a") == decoy ? image / "a" : image / "decoy";
        EXPECT_EQ(listing(decoy_now), "[]")
            << "happened: with /a exchanged for another directory right before act " << before_act
            << ", setup created " << listing(decoy_now) << " in that other directory";
        if (error.empty()) {
            for (const CreatedEntry& entry : result.created) {
                EXPECT_NE(entry.identity, decoy)
                    << "happened: setup recorded the other directory as created";
            }
        }
    };
    const int acts = acts_of_setup(host_ / "source", "/a/b/c", {"a"});
    for (int act = 1; act <= acts && act <= 40; ++act) attempt(act);
}

// The host directory a missing source is created in is swapped for a symlink to another
// host directory right before an act. chmod(2) of a path follows such a symlink: a path
// version can make the mode of any file of the host 0755.
// hint: 6
TEST_F(SetupVolume, RaceASymlinkSwappedInOnTheWayToANewSourceAtEachAct) {
    const auto attempt = [&](int before_act) {
        const TempDir dir;
        make_directory(dir / "rootfs");
        make_directory(dir / "host");
        make_directory(dir / "host/p");
        make_directory(dir / "canary");
        make_directory(dir / "canary/new", 0700);
        make_directory(dir / "canary/new/source", 0700);
        const std::string before = tree_listing(dir / "canary");
        const Rootfs rootfs(dir / "rootfs");
        {
            const RaceHook hook(before_act,
                                [&] { swap_for_symlink(dir / "host/p", dir / "canary"); });
            thrown_message(
                [&] { setup_volume(make_volume(dir / "host/p/new/source", "/data"), rootfs); });
        }
        EXPECT_EQ(tree_listing(dir / "canary"), before)
            << "happened: with a directory of the source's path swapped for a symlink right before "
               "act "
            << before_act
            << ", another host directory was changed. Create each directory in the one you hold, "
               "and set its mode through its descriptor (fchmod).";
    };
    int acts = 0;
    {
        const TempDir dir;
        make_directory(dir / "rootfs");
        make_directory(dir / "host");
        make_directory(dir / "host/p");
        const Rootfs rootfs(dir / "rootfs");
        acts = count_acts(
            [&] { setup_volume(make_volume(dir / "host/p/new/source", "/data"), rootfs); });
    }
    for (int act = 1; act <= acts && act <= 40; ++act) attempt(act);
}

}  // namespace
