// Parsing /proc/PID/mountinfo lines (proc(5)) and reading whole files.
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <fstream>

#include "container/mountinfo.hpp"
#include "expect_error.hpp"

namespace container {
namespace {

// The example line of proc(5).
constexpr std::string_view kManPageLine =
    "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue";

TEST(ParseMountinfoLine, ReadsEveryFieldOfTheManPageExample) {
    const auto mount = parse_mountinfo_line(kManPageLine);
    EXPECT_EQ(mount.mount_id, 36U);
    EXPECT_EQ(mount.parent_id, 35U);
    EXPECT_EQ(mount.device, "98:0");
    EXPECT_EQ(mount.root, "/mnt1");
    EXPECT_EQ(mount.mount_point, "/mnt2");
    EXPECT_EQ(mount.options, "rw,noatime");
    EXPECT_EQ(mount.optional, (std::vector<std::string>{"master:1"}));
    EXPECT_EQ(mount.fs_type, "ext3");
    EXPECT_EQ(mount.source, "/dev/root");
    EXPECT_EQ(mount.super_options, "rw,errors=continue");
}

TEST(ParseMountinfoLine, NoOptionalField) {
    const auto mount = parse_mountinfo_line("25 1 0:22 / /sys rw,nosuid - sysfs sysfs rw");
    EXPECT_TRUE(mount.optional.empty());
    EXPECT_EQ(mount.mount_point, "/sys");
    EXPECT_EQ(mount.fs_type, "sysfs");
    EXPECT_EQ(mount.source, "sysfs");
    EXPECT_EQ(mount.super_options, "rw");
}

TEST(ParseMountinfoLine, TwoOptionalFields) {
    const auto mount = parse_mountinfo_line(
        "120 99 0:45 /data /srv/data ro,relatime shared:7 master:3 - tmpfs tmpfs rw,size=64k");
    EXPECT_EQ(mount.optional, (std::vector<std::string>{"shared:7", "master:3"}));
    EXPECT_EQ(mount.options, "ro,relatime");
    EXPECT_EQ(mount.fs_type, "tmpfs");
    EXPECT_EQ(mount.super_options, "rw,size=64k");
}

TEST(ParseMountinfoLine, ThreeOptionalFields) {
    const auto mount = parse_mountinfo_line(
        "121 99 0:45 / /x rw shared:8 master:3 propagate_from:2 - tmpfs tmpfs rw");
    EXPECT_EQ(mount.optional,
              (std::vector<std::string>{"shared:8", "master:3", "propagate_from:2"}));
}

TEST(ParseMountinfoLine, LargeIds) {
    const auto mount =
        parse_mountinfo_line("18446744073709551615 4294967296 259:1 / / rw - ext4 /dev/x rw");
    EXPECT_EQ(mount.mount_id, 18446744073709551615U);
    EXPECT_EQ(mount.parent_id, 4294967296U);
}

TEST(ParseMountinfoLine, NonPathRootOfAnNsfsMount) {
    const auto mount =
        parse_mountinfo_line("500 30 0:4 net:[4026531840] /run/netns/x rw shared:1 - nsfs nsfs rw");
    EXPECT_EQ(mount.root, "net:[4026531840]");
}

TEST(ParseMountinfoLine, EmptySourceIsAField) {
    // The kernel prints an empty source as nothing, so two spaces follow the type.
    const auto mount = parse_mountinfo_line("40 30 0:50 / /x rw - tmpfs  rw,size=4k");
    EXPECT_EQ(mount.source, "");
    EXPECT_EQ(mount.super_options, "rw,size=4k");
}

TEST(ParseMountinfoLine, UnescapesRootMountPointAndSource) {
    const auto mount = parse_mountinfo_line(
        "41 30 0:51 /with\\040space /mnt/tab\\011new\\012line\\134back rw - "
        "fuse.sshfs user@host:/a\\040b rw");
    EXPECT_EQ(mount.root, "/with space");
    EXPECT_EQ(mount.mount_point, "/mnt/tab\tnew\nline\\back");
    EXPECT_EQ(mount.source, "user@host:/a b");
}

TEST(ParseMountinfoLine, AMountPointCalledDashIsNotTheSeparator) {
    const auto mount = parse_mountinfo_line("42 30 0:52 - /- rw - tmpfs tmpfs rw");
    EXPECT_EQ(mount.root, "-");
    EXPECT_EQ(mount.mount_point, "/-");
    EXPECT_EQ(mount.fs_type, "tmpfs");
}

std::string malformed_message(std::string_view line) {
    return testing::error_message<std::invalid_argument>(
        [line] { (void)parse_mountinfo_line(line); });
}

TEST(ParseMountinfoLine, MalformedLineIsNamedWithTheProblem) {
    EXPECT_EQ(malformed_message("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 ext3 /dev/root rw"),
              "malformed mountinfo line '36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 ext3 "
              "/dev/root rw': no '-' separator after the options");
}

TEST(ParseMountinfoLine, EveryKindOfMalformedLineIsRejectedNamingTheLine) {
    for (const std::string line : {
             "",
             "36 35 98:0 /mnt1 /mnt2 rw - ext3",                      // too few fields
             "36 35 98:0 /mnt1 /mnt2 rw master:1 ext3 /dev/root rw",  // no separator
             "36 35 98:0 /mnt1 /mnt2 - ext3 /dev/root rw",            // no options field
             "36 35 98:0 /mnt1 /mnt2 rw - ext3 /dev/root",            // two after the separator
             "36 35 98:0 /mnt1 /mnt2 rw - ext3 /dev/root rw extra",   // four after it
             "x 35 98:0 /mnt1 /mnt2 rw - ext3 /dev/root rw",          // id not a number
             "36 -1 98:0 /mnt1 /mnt2 rw - ext3 /dev/root rw",         // negative parent
             "36 35z 98:0 /mnt1 /mnt2 rw - ext3 /dev/root rw",        // trailing junk
             "36 35 98 /mnt1 /mnt2 rw - ext3 /dev/root rw",           // device without ':'
             "36 35 98:x /mnt1 /mnt2 rw - ext3 /dev/root rw",         // device not numeric
             "36 35 98:0  /mnt2 rw - ext3 /dev/root rw",              // empty root
             "36 35 98:0 /mnt1 /mnt2 rw -  /dev/root rw",             // empty type
         }) {
        const auto message = malformed_message(line);
        EXPECT_TRUE(message.starts_with("malformed mountinfo line '" + line + "': ")) << message;
    }
}

TEST(UnescapeMountPath, TurnsOctalEscapesIntoTheirCharacters) {
    EXPECT_EQ(unescape_mount_path("a\\040b"), "a b");
    EXPECT_EQ(unescape_mount_path("\\011"), "\t");
    EXPECT_EQ(unescape_mount_path("\\012"), "\n");
    EXPECT_EQ(unescape_mount_path("\\134"), "\\");
    EXPECT_EQ(unescape_mount_path("\\040\\040"), "  ");
    EXPECT_EQ(unescape_mount_path("/plain/path"), "/plain/path");
    EXPECT_EQ(unescape_mount_path(""), "");
}

TEST(UnescapeMountPath, UnescapesInOnePass) {
    // "\134040" is an escaped backslash followed by "040", not a space.
    EXPECT_EQ(unescape_mount_path("\\134040"), "\\040");
}

TEST(UnescapeMountPath, KeepsWhatIsNotAThreeDigitOctalEscape) {
    EXPECT_EQ(unescape_mount_path("a\\b"), "a\\b");
    EXPECT_EQ(unescape_mount_path("end\\04"), "end\\04");
    EXPECT_EQ(unescape_mount_path("\\080"), "\\080");
    EXPECT_EQ(unescape_mount_path("\\400"), "\\400");
    EXPECT_EQ(unescape_mount_path("\\"), "\\");
}

MountInfo with_options(std::string options, std::string super_options = "rw") {
    MountInfo mount;
    mount.options = std::move(options);
    mount.super_options = std::move(super_options);
    return mount;
}

MountInfo with_optional_fields(std::vector<std::string> fields) {
    MountInfo mount;
    mount.optional = std::move(fields);
    return mount;
}

TEST(MountInfoReadOnly, LooksForTheWholeWordRo) {
    EXPECT_TRUE(with_options("ro").read_only());
    EXPECT_TRUE(with_options("ro,relatime").read_only());
    EXPECT_TRUE(with_options("nosuid,ro").read_only());
    EXPECT_FALSE(with_options("rw,relatime").read_only());
    EXPECT_FALSE(with_options("rw,errors=remount-ro").read_only());
    EXPECT_FALSE(with_options("rw,rootro").read_only());
    EXPECT_FALSE(with_options("").read_only());
}

TEST(MountInfoReadOnly, IgnoresTheSuperblockOptions) {
    EXPECT_FALSE(with_options("rw", "ro").read_only());
}

TEST(MountInfoPropagation, FromTheOptionalFields) {
    EXPECT_EQ(with_optional_fields({}).propagation(), "private");
    EXPECT_EQ(with_optional_fields({"shared:1"}).propagation(), "shared");
    EXPECT_EQ(with_optional_fields({"master:2"}).propagation(), "slave");
    EXPECT_EQ(with_optional_fields({"shared:1", "master:2"}).propagation(), "shared,slave");
    EXPECT_EQ(with_optional_fields({"master:2", "propagate_from:1"}).propagation(), "slave");
    EXPECT_EQ(with_optional_fields({"unbindable"}).propagation(), "private");
}

TEST(MountInfoPropagation, OfParsedLines) {
    EXPECT_EQ(parse_mountinfo_line(kManPageLine).propagation(), "slave");
    EXPECT_EQ(parse_mountinfo_line("1 0 0:1 / / rw shared:1 - ext4 /dev/a rw").propagation(),
              "shared");
}

/// A file under the test's temporary directory, removed at the end.
class TemporaryFile {
public:
    explicit TemporaryFile(std::string_view text)
        : path_(std::filesystem::path(::testing::TempDir()) /
                ("mountinfo_test." + std::to_string(::getpid()))) {
        std::ofstream(path_) << text;
    }
    ~TemporaryFile() { std::filesystem::remove(path_); }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

TEST(ReadMountinfo, ParsesEveryLineInOrder) {
    const TemporaryFile file(
        "1 0 0:1 / / rw shared:1 - ext4 /dev/a rw\n"
        "2 1 0:2 / /with\\040space ro - tmpfs tmpfs rw\n"
        "3 1 0:3 / /x rw master:1 - tmpfs tmpfs rw\n");
    const auto mounts = read_mountinfo(file.path());
    ASSERT_EQ(mounts.size(), 3U);
    EXPECT_EQ(mounts[0].mount_point, "/");
    EXPECT_EQ(mounts[1].mount_point, "/with space");
    EXPECT_TRUE(mounts[1].read_only());
    EXPECT_EQ(mounts[2].propagation(), "slave");
}

TEST(ReadMountinfo, ReadsAFileLargerThanOneRead) {
    std::string text;
    for (int i = 1; i <= 500; ++i) {
        text += std::to_string(i) + " 1 0:1 / /mnt/" + std::string(40, 'x') + std::to_string(i) +
                " rw - tmpfs tmpfs rw\n";
    }
    const TemporaryFile file(text);
    const auto mounts = read_mountinfo(file.path());
    ASSERT_EQ(mounts.size(), 500U);
    EXPECT_EQ(mounts.back().mount_id, 500U);
}

TEST(ReadMountinfo, EmptyFileHasNoMounts) {
    const TemporaryFile file("");
    EXPECT_TRUE(read_mountinfo(file.path()).empty());
}

TEST(ReadMountinfo, MalformedLineStopsTheRead) {
    const TemporaryFile file("1 0 0:1 / / rw - ext4 /dev/a rw\nnonsense\n");
    EXPECT_EQ(
        testing::error_message<std::invalid_argument>([&] { (void)read_mountinfo(file.path()); }),
        "malformed mountinfo line 'nonsense': too few fields");
}

TEST(ReadMountinfo, MissingFileIsASystemErrorNamingIt) {
    try {
        (void)read_mountinfo("/nonexistent/mountinfo");
        FAIL() << "threw nothing";
    } catch (const std::system_error& error) {
        EXPECT_EQ(error.code(), std::errc::no_such_file_or_directory);
        EXPECT_STREQ(error.what(), "open /nonexistent/mountinfo: No such file or directory");
    }
}

TEST(ReadMountinfo, ThisProcessHasARootMount) {
    const auto mounts = read_mountinfo();
    EXPECT_TRUE(std::ranges::any_of(
        mounts, [](const MountInfo& mount) { return mount.mount_point == "/"; }));
}

}  // namespace
}  // namespace container
