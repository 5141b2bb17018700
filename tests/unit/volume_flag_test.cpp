// parse_volume_flag(): every accepted form of -v SRC:DST[:MODE], and every rejection
// with the exact message users see.
#include <gtest/gtest.h>

#include "container/volume.hpp"
#include "expect_error.hpp"

namespace container {
namespace {

std::string volume_flag_error(std::string_view spec) {
    return testing::error_message([spec] { (void)parse_volume_flag(spec); });
}

TEST(VolumeFlag, SourceAndDestinationGiveAWritableVolumeWhoseSourceIsCreated) {
    EXPECT_EQ(parse_volume_flag("/srv/data:/data"), (Volume{
                                                        .source = "/srv/data",
                                                        .destination = "/data",
                                                        .read_only = false,
                                                        .create_missing_source = true,
                                                        .spec = "/srv/data:/data",
                                                    }));
}

TEST(VolumeFlag, ModeRoMakesItReadOnly) {
    EXPECT_TRUE(parse_volume_flag("/srv/data:/data:ro").read_only);
}

TEST(VolumeFlag, ModeRwKeepsItWritable) {
    EXPECT_FALSE(parse_volume_flag("/srv/data:/data:rw").read_only);
}

TEST(VolumeFlag, SpecIsKeptVerbatimWhilePathsAreNormalised) {
    const auto volume = parse_volume_flag("/srv/./data/:/x/../data//:ro");
    EXPECT_EQ(volume.spec, "/srv/./data/:/x/../data//:ro");
    EXPECT_EQ(volume.source, "/srv/data");
    EXPECT_EQ(volume.destination, "/data");
}

TEST(VolumeFlag, SourceIsNormalisedLexically) {
    EXPECT_EQ(parse_volume_flag("/srv/data/:/d").source, "/srv/data");
    EXPECT_EQ(parse_volume_flag("/srv//data:/d").source, "/srv/data");
    EXPECT_EQ(parse_volume_flag("/srv/./a/../data:/d").source, "/srv/data");
    EXPECT_EQ(parse_volume_flag("/../srv:/d").source, "/srv");
}

TEST(VolumeFlag, SourceMayBeTheHostRoot) {
    EXPECT_EQ(parse_volume_flag("/:/host").source, "/");
}

TEST(VolumeFlag, DestinationIsNormalised) {
    EXPECT_EQ(parse_volume_flag("/a:/data/").destination, "/data");
    EXPECT_EQ(parse_volume_flag("/a:/x/./y/../data").destination, "/x/data");
    EXPECT_EQ(parse_volume_flag("/a:/../data").destination, "/data");
    EXPECT_EQ(parse_volume_flag("/a://data//in").destination, "/data/in");
}

TEST(VolumeFlag, WrongNumberOfFieldsOrAnEmptyFieldIsRejected) {
    // Docker's rules: at most three fields, a first one, and two fields whose second is a
    // mode (the empty mode included) lack a destination.
    for (const std::string spec :
         {"", ":", "/a:", ":/b", "::", "/a:/b:ro:x", "/a:/b:ro:", "/a:ro", "/a:ro,z"}) {
        EXPECT_EQ(volume_flag_error(spec), "invalid volume specification: '" + spec + "'") << spec;
    }
    EXPECT_EQ(volume_flag_error("/a::ro"),
              "invalid volume specification: '/a::ro': field Target must not be empty");
}

TEST(VolumeFlag, ModeThatDockerDoesNotKnowIsRejected) {
    for (const std::string mode : {"rx", "ro,rw", "RO", "Rw", "ro ", "rro", "z,Z", "shared,rslave",
                                   "ro,", ",ro", "nocopy,nocopy"}) {
        EXPECT_EQ(volume_flag_error("/a:/b:" + mode), "invalid mode: " + mode) << mode;
    }
}

TEST(VolumeFlag, ModeWordsCombine) {
    const auto volume = parse_volume_flag("/a:/b:Z,rslave,ro");
    EXPECT_TRUE(volume.read_only);
    EXPECT_EQ(volume.propagation, Propagation::rslave);
    EXPECT_EQ(parse_volume_flag("/a:/b:").propagation, Propagation::rprivate);
    EXPECT_EQ(parse_volume_flag("/a:/b:shared").propagation, Propagation::shared);
}

TEST(VolumeFlag, SourceWithoutSlashIsAVolumeName) {
    const auto volume = parse_volume_flag("db:/data:ro");
    EXPECT_EQ(volume.type, VolumeType::named);
    EXPECT_EQ(volume.name, "db");
    EXPECT_TRUE(volume.read_only);
    EXPECT_TRUE(volume.copy_up);
    EXPECT_FALSE(parse_volume_flag("db:/data:nocopy").copy_up);
    const auto anonymous = parse_volume_flag("/data");
    EXPECT_EQ(anonymous.type, VolumeType::anonymous);
    EXPECT_EQ(anonymous.name, "");
    EXPECT_EQ(anonymous.destination, "/data");
}

TEST(VolumeFlag, BadVolumeNameIsRejected) {
    for (const std::string name : {"./data", "~/data", "a", "-db", ".db", "d b", "caf\xc3\xa9"}) {
        const auto spec = name + ":/data";
        EXPECT_EQ(volume_flag_error(spec),
                  "invalid volume specification: '" + spec + "': " + volume_name_problem(name))
            << spec;
    }
}

TEST(VolumeFlag, PropagationIsForHostPathsOnly) {
    EXPECT_EQ(volume_flag_error("db:/data:rshared"),
              "invalid volume specification: 'db:/data:rshared': invalid mount config for type "
              "\"volume\": field BindOptions must not be specified");
    EXPECT_EQ(volume_flag_error("/a:/data:nocopy"),
              "invalid volume specification: '/a:/data:nocopy': invalid mount config for type "
              "\"bind\": field VolumeOptions must not be specified");
}

TEST(VolumeFlag, RelativeDestinationIsRejected) {
    for (const std::string spec : {"/a:data", "/a:./data", "/a:data:ro"}) {
        EXPECT_EQ(volume_flag_error(spec),
                  "invalid volume specification: '" + spec + "': mount path must be absolute")
            << spec;
    }
}

TEST(VolumeFlag, DestinationThatIsTheRootIsRejected) {
    for (const std::string spec : {"/a:/", "/a://", "/a:/..", "/a:/./", "/a:/a/..", "/a:/:ro"}) {
        EXPECT_EQ(volume_flag_error(spec),
                  "invalid volume specification: '" + spec + "': destination can't be '/'")
            << spec;
    }
}

}  // namespace
}  // namespace container
