/// @file setup_test.cpp
/// @brief Checks of step 1: setup_volume() prepares the host source and the mount point.
///
/// Built twice: test-01-setup-solutions (the reference) and test-01-setup-steps (your
/// steps/01-setup/setup.cpp). Every test works in a temporary directory holding a fake
/// host directory ("host/") and a fake image ("rootfs/"); nothing here mounts anything.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "container/rootfs.hpp"
#include "container/volume_steps.hpp"
#include "temp_dir.hpp"
#include "test_helpers.hpp"

namespace fs = std::filesystem;
using namespace container;
using namespace container::test_support;

namespace {

std::string show(const std::vector<fs::path>& paths) {
    std::string text = "[";
    for (std::size_t i = 0; i < paths.size(); ++i) text += (i ? ", " : "") + paths[i].string();
    return text + "]";
}

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
            << "the missing source directory " << path << " should have been created";
        EXPECT_EQ(mode_of(path), 0755U)
            << "the new source directory " << path << " should have mode 0755 even with "
            << "umask 077 (mkdir applies the umask, chmod does not), got " << octal(mode_of(path));
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
        ASSERT_TRUE(is_real_directory(path))
            << "the mount point directory /" << inside << " should have been created in the rootfs";
        EXPECT_EQ(mode_of(path), 0755U)
            << "the new mount point directory /" << inside << " should have mode 0755 even "
            << "with umask 077, got " << octal(mode_of(path));
    }
}

// hint: 3
TEST_F(SetupVolume, KeepsTheModeOfAnExistingSourceDirectory) {
    const Rootfs rootfs(image_);
    const fs::path source = host_ / "private";
    make_directory(source, 0700);
    setup_volume(make_volume(source, "/data"), rootfs);
    EXPECT_EQ(mode_of(source), 0700U)
        << "an existing source directory belongs to the user and should keep its mode 0700, got "
        << octal(mode_of(source));
}

// hint: 4
TEST_F(SetupVolume, GivesAFileSourceAnEmptyRegularFileAsMountPoint) {
    const Rootfs rootfs(image_);
    const fs::path source = host_ / "app.conf";
    write_file(source, "setting=1\n");
    const MountPoint result = setup_volume(make_volume(source, "/etc/app.conf"), rootfs);

    const fs::path mount_point = image_ / "etc/app.conf";
    ASSERT_TRUE(is_real_file(mount_point))
        << "a file source needs a regular file as mount point (a directory would make mount(2) "
        << "fail with ENOTDIR); the rootfs /etc holds " << listing(image_ / "etc");
    EXPECT_EQ(read_file(mount_point), "")
        << "the mount point file should be empty: it is only a place to mount on";
    EXPECT_TRUE(is_real_directory(image_ / "etc")) << "the missing parent /etc should have been created";
    EXPECT_EQ(result.created, (std::vector<fs::path>{"/etc", "/etc/app.conf"}))
        << "created should list the parent, then the file, got " << show(result.created);
    EXPECT_EQ(read_file(source), "setting=1\n") << "the source file must not be changed";
}

// hint: 4
TEST_F(SetupVolume, FollowsASymlinkedSourceToChooseTheKindOfMountPoint) {
    const Rootfs rootfs(image_);
    make_directory(host_ / "real");
    fs::create_directory_symlink(host_ / "real", host_ / "link");
    setup_volume(make_volume(host_ / "link", "/data"), rootfs);
    EXPECT_TRUE(is_real_directory(image_ / "data"))
        << "the source is a symlink to a directory, and mount(2) follows it: the mount point "
        << "should be a directory";
}

// hint: 4
TEST_F(SetupVolume, ListsTheCreatedPathsOutermostFirst) {
    const Rootfs rootfs(image_);
    make_directory(host_ / "source");
    make_directory(image_ / "a");
    const MountPoint result = setup_volume(make_volume(host_ / "source", "/a/b/c"), rootfs);
    EXPECT_EQ(result.destination, fs::path("/a/b/c"))
        << "destination should be the volume's container path";
    EXPECT_EQ(result.created, (std::vector<fs::path>{"/a/b", "/a/b/c"}))
        << "created should list exactly the directories that were missing (/a existed), "
        << "outermost first, as container paths; got " << show(result.created);
}

// hint: 4
TEST_F(SetupVolume, ListsNothingAndTouchesNothingWhenEverythingAlreadyExisted) {
    const Rootfs rootfs(image_);
    make_directory(host_ / "source");
    make_directory(image_ / "data", 0700);
    write_file(image_ / "data/from-image.txt", "image file");
    const MountPoint result = setup_volume(make_volume(host_ / "source", "/data"), rootfs);
    EXPECT_TRUE(result.created.empty())
        << "the mount point existed in the image, so nothing was created, but created is "
        << show(result.created) << " (cleanup would delete the image's directory)";
    EXPECT_EQ(mode_of(image_ / "data"), 0700U) << "the image's directory should keep its mode";
    EXPECT_EQ(read_file(image_ / "data/from-image.txt"), "image file")
        << "the image's files must not be touched";
}

// hint: 4
TEST_F(SetupVolume, KeepsAnExistingMountPointFileOfTheImage) {
    const Rootfs rootfs(image_);
    write_file(host_ / "hosts", "127.0.0.1 host\n");
    make_directory(image_ / "etc");
    write_file(image_ / "etc/hosts", "image\n");
    const MountPoint result = setup_volume(make_volume(host_ / "hosts", "/etc/hosts"), rootfs);
    EXPECT_TRUE(result.created.empty())
        << "/etc/hosts existed in the image: nothing should be listed as created, got "
        << show(result.created);
    EXPECT_EQ(read_file(image_ / "etc/hosts"), "image\n")
        << "the image's existing file must be neither truncated nor replaced";
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
        << "with /var/run -> /run in the image, the mount point of /var/run is /run: "
        << "destination should say where it really is (Rootfs::canonical), got "
        << result.destination;
    EXPECT_TRUE(result.created.empty())
        << "/run existed in the image: nothing should be listed as created, got "
        << show(result.created);
}

// hint: 1
TEST_F(SetupVolume, RefusesAMissingMountSourceWithAMessageNamingIt) {
    const Rootfs rootfs(image_);
    const fs::path source = host_ / "missing";
    const std::string message = thrown_message(
        [&] { setup_volume(make_volume(source, "/data", false, false), rootfs); });
    const std::string expected = "source path does not exist: " + source.string();
    EXPECT_TRUE(message.starts_with(expected))
        << "a --mount volume (create_missing_source = false) with a missing source should fail "
        << "with a message starting \"" << expected << "\", got \"" << message << "\"";
    EXPECT_FALSE(exists_no_follow(source)) << "a --mount source must never be created";
    EXPECT_EQ(listing(image_), "[]")
        << "nothing should be created in the rootfs when the source is refused, found "
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
    EXPECT_EQ(listing(outside), "[]")
        << "a symlink of the image must be resolved inside the rootfs; the host directory it "
        << "names got " << listing(outside);
    EXPECT_TRUE(is_real_directory(image_ / outside.relative_path() / "y"))
        << "the mount point should be created where the link leads inside the rootfs ("
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
        << "\"..\" in a symlink of the image must stop at the rootfs; a directory was created "
        << "outside of it, at " << (deep / "escaped");
    EXPECT_TRUE(is_real_directory(image / "escaped"))
        << "/up/escaped should resolve to /escaped inside the rootfs and be created there";
}

// hint: 4
TEST_F(SetupVolume, AMountPointThatCannotBeCreatedGivesAnErrorNamingIt) {
    make_directory(host_ / "source");
    write_file(image_ / "file", "a file, not a directory");
    const Rootfs rootfs(image_);
    const std::string message =
        thrown_message([&] { setup_volume(make_volume(host_ / "source", "/file/sub"), rootfs); });
    EXPECT_NE(message.find("/file"), std::string::npos)
        << "creating /file/sub below a regular file must fail with an error naming the path, "
        << "got \"" << message << "\"";
}

// hint: 2
TEST_F(SetupVolume, ASourceThatCannotBeCreatedGivesAnErrorNamingIt) {
    write_file(host_ / "plain", "a file, not a directory");
    const Rootfs rootfs(image_);
    const fs::path source = host_ / "plain/sub";
    const std::string message =
        thrown_message([&] { setup_volume(make_volume(source, "/data"), rootfs); });
    EXPECT_NE(message.find((host_ / "plain").string()), std::string::npos)
        << "creating the source " << source << " below a regular file must fail with an error "
        << "naming the path, got \"" << message << "\"";
    EXPECT_EQ(listing(image_), "[]")
        << "nothing should be created in the rootfs when the source fails, found "
        << listing(image_);
}

}  // namespace
