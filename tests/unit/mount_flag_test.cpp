// parse_mount_flag(): every accepted form of --mount, and every rejection with the
// exact message users see.
#include <gtest/gtest.h>

#include "container/volume.hpp"
#include "expect_error.hpp"

namespace container {
namespace {

std::string mount_flag_error(std::string_view spec) {
    return testing::error_message([spec] { (void)parse_mount_flag(spec); });
}

/// The message for @p spec with the problem @p problem.
std::string rejection(const std::string& spec, const std::string& problem) {
    return "invalid mount specification: '" + spec + "': " + problem;
}

TEST(MountFlag, BindGivesAWritableVolumeWhoseSourceMustExist) {
    const std::string spec = "type=bind,source=/srv/data,target=/data";
    EXPECT_EQ(parse_mount_flag(spec), (Volume{
                                          .source = "/srv/data",
                                          .destination = "/data",
                                          .read_only = false,
                                          .create_missing_source = false,
                                          .spec = spec,
                                      }));
}

TEST(MountFlag, FieldsMayComeInAnyOrder) {
    const auto volume = parse_mount_flag("target=/data,readonly,source=/srv/data,type=bind");
    EXPECT_EQ(volume.source, "/srv/data");
    EXPECT_EQ(volume.destination, "/data");
    EXPECT_TRUE(volume.read_only);
}

TEST(MountFlag, SourceAndTargetAcceptDockersAliases) {
    for (const std::string source_key : {"source", "src"}) {
        for (const std::string target_key : {"target", "destination", "dst"}) {
            const auto volume =
                parse_mount_flag("type=bind," + source_key + "=/s," + target_key + "=/t");
            EXPECT_EQ(volume.source, "/s") << source_key;
            EXPECT_EQ(volume.destination, "/t") << target_key;
        }
    }
}

TEST(MountFlag, ReadOnlyFormsThatMeanTrue) {
    for (const std::string flag :
         {"readonly", "ro", "readonly=true", "readonly=1", "ro=true", "ro=1"}) {
        EXPECT_TRUE(parse_mount_flag("type=bind,source=/s,target=/t," + flag).read_only) << flag;
    }
}

TEST(MountFlag, ReadOnlyFormsThatMeanFalse) {
    for (const std::string flag : {"readonly=false", "readonly=0", "ro=false", "ro=0"}) {
        EXPECT_FALSE(parse_mount_flag("type=bind,source=/s,target=/t," + flag).read_only) << flag;
    }
}

TEST(MountFlag, ValueMayHoldEqualsSignsAndColons) {
    // What -v cannot express: ':' separates its fields.
    const auto volume = parse_mount_flag("type=bind,source=/srv/a=b:c,target=/data:x");
    EXPECT_EQ(volume.source, "/srv/a=b:c");
    EXPECT_EQ(volume.destination, "/data:x");
}

TEST(MountFlag, PathsAreNormalisedAndTheSpecKeptVerbatim) {
    const std::string spec = "type=bind,src=/srv/./data/,dst=/x/../data//";
    const auto volume = parse_mount_flag(spec);
    EXPECT_EQ(volume.source, "/srv/data");
    EXPECT_EQ(volume.destination, "/data");
    EXPECT_EQ(volume.spec, spec);
}

TEST(MountFlag, UnknownTypeIsRejected) {
    for (const std::string spec : {"type=Bind,source=/s,target=/t", "type=npipe,target=/t"}) {
        EXPECT_NE(mount_flag_error(spec).find(rejection(spec, "unknown type")), std::string::npos)
            << spec;
    }
}

TEST(MountFlag, VolumeAndTmpfsTypes) {
    const auto named = parse_mount_flag("type=volume,source=db,target=/d,volume-nocopy");
    EXPECT_EQ(named.type, VolumeType::named);
    EXPECT_EQ(named.name, "db");
    EXPECT_FALSE(named.copy_up);
    EXPECT_EQ(parse_mount_flag("type=volume,target=/d").type, VolumeType::anonymous);
    const auto tmpfs = parse_mount_flag("type=tmpfs,target=/t,tmpfs-size=1048576,tmpfs-mode=1770");
    EXPECT_EQ(tmpfs.type, VolumeType::tmpfs);
    EXPECT_EQ(tmpfs.tmpfs_options, "size=1048576,mode=1770");
    EXPECT_EQ(parse_mount_flag("type=bind,source=/s,target=/t,bind-propagation=rslave").propagation,
              Propagation::rslave);
}

TEST(MountFlag, FieldOfAnotherTypeIsRefused) {
    for (const std::string spec :
         {"type=volume,source=db,target=/t,bind-propagation=shared",
          "type=tmpfs,source=/s,target=/t", "type=bind,source=/s,target=/t,volume-nocopy",
          "type=bind,source=/s,target=/t,tmpfs-size=1"}) {
        EXPECT_NE(mount_flag_error(spec).find("is not for type="), std::string::npos) << spec;
    }
    EXPECT_EQ(mount_flag_error("type=bind,source=/s,target=/t,bind-propagation=up"),
              rejection("type=bind,source=/s,target=/t,bind-propagation=up",
                        "invalid propagation mode: up"));
}

TEST(MountFlag, MissingFieldsAreNamed) {
    EXPECT_EQ(mount_flag_error("source=/s,target=/t"),
              rejection("source=/s,target=/t", "field 'type' is required"));
    EXPECT_EQ(mount_flag_error("type=bind,target=/t"),
              rejection("type=bind,target=/t", "field 'source' is required"));
    EXPECT_EQ(mount_flag_error("type=bind,source=/s,readonly"),
              rejection("type=bind,source=/s,readonly", "field 'target' is required"));
}

TEST(MountFlag, UnknownFieldIsNamed) {
    for (const auto& [spec, field] : std::vector<std::pair<std::string, std::string>>{
             {"type=bind,source=/s,target=/t,foo=1", "foo"},
             {"type=bind,source=/s,target=/t,consistency=cached", "consistency"},
             {"bind,source=/s,target=/t", "bind"},
             {"TYPE=bind,source=/s,target=/t", "TYPE"},
             {"type=bind,source=/s,target=/t,=x", ""},
         }) {
        EXPECT_EQ(mount_flag_error(spec), rejection(spec, "unknown field '" + field + "'")) << spec;
    }
}

TEST(MountFlag, FieldGivenTwiceIsRefusedEvenUnderAnotherName) {
    for (const auto& [spec, field] : std::vector<std::pair<std::string, std::string>>{
             {"type=bind,type=bind,source=/s,target=/t", "type"},
             {"type=bind,source=/s,src=/other,target=/t", "source"},
             {"type=bind,source=/s,target=/t,dst=/t", "target"},
             {"type=bind,source=/s,target=/t,destination=/u", "target"},
             {"type=bind,source=/s,target=/t,readonly,ro", "readonly"},
             {"type=bind,source=/s,target=/t,ro=false,readonly=false", "readonly"},
         }) {
        EXPECT_EQ(mount_flag_error(spec), rejection(spec, "field '" + field + "' is given twice"))
            << spec;
    }
}

TEST(MountFlag, EmptyValueIsNamedAsWritten) {
    for (const auto& [spec, field] : std::vector<std::pair<std::string, std::string>>{
             {"type=,source=/s,target=/t", "type"},
             {"type=bind,source=,target=/t", "source"},
             {"type=bind,src=,target=/t", "src"},
             {"type=bind,source=/s,dst=", "dst"},
             {"type=bind,source=/s,target=/t,readonly=", "readonly"},
         }) {
        EXPECT_EQ(mount_flag_error(spec),
                  rejection(spec, "field '" + field + "' has an empty value"))
            << spec;
    }
}

TEST(MountFlag, OnlyReadOnlyMayBeBare) {
    for (const auto& [spec, field] : std::vector<std::pair<std::string, std::string>>{
             {"type,source=/s,target=/t", "type"},
             {"type=bind,source,target=/t", "source"},
             {"type=bind,source=/s,dst", "dst"},
         }) {
        EXPECT_EQ(mount_flag_error(spec), rejection(spec, "field '" + field + "' needs a value"))
            << spec;
    }
}

TEST(MountFlag, EmptyItemIsRejected) {
    for (const std::string spec :
         {"", ",", "type=bind,,source=/s,target=/t", "type=bind,source=/s,target=/t,"}) {
        EXPECT_EQ(mount_flag_error(spec), rejection(spec, "empty field")) << spec;
    }
}

TEST(MountFlag, ReadOnlyValueOtherThanTrueFalseOneZeroIsRejected) {
    for (const auto& [spec, field, value] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"type=bind,source=/s,target=/t,readonly=yes", "readonly", "yes"},
             {"type=bind,source=/s,target=/t,ro=TRUE", "ro", "TRUE"},
             {"type=bind,source=/s,target=/t,readonly=2", "readonly", "2"},
         }) {
        EXPECT_EQ(mount_flag_error(spec),
                  rejection(spec, "field '" + field + "' must be true, false, 1 or 0, not '" +
                                      value + "'"))
            << spec;
    }
}

TEST(MountFlag, RelativeSourceIsRejected) {
    const std::string spec = "type=bind,source=data,target=/data";
    EXPECT_EQ(mount_flag_error(spec), rejection(spec, "source path must be absolute"));
}

TEST(MountFlag, RelativeTargetIsRejected) {
    const std::string spec = "type=bind,source=/data,target=data";
    EXPECT_EQ(mount_flag_error(spec), rejection(spec, "mount path must be absolute"));
}

TEST(MountFlag, TargetThatIsTheRootIsRejected) {
    for (const std::string target : {"/", "//", "/..", "/./", "/a/.."}) {
        const std::string spec = "type=bind,source=/data,target=" + target;
        EXPECT_EQ(mount_flag_error(spec), rejection(spec, "destination can't be '/'")) << spec;
    }
}

}  // namespace
}  // namespace container
