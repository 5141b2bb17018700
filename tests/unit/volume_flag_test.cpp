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
    for (const std::string spec : {"", "/a", ":", "/a:", ":/b", "/a::ro", "/a:/b:",
                                   "::", "/a:/b:ro:x", "/a:/b:ro:"}) {
        EXPECT_EQ(volume_flag_error(spec), "invalid volume specification: '" + spec + "'")
            << spec;
    }
}

TEST(VolumeFlag, ModeOtherThanExactlyRoOrRwIsRejected) {
    for (const std::string mode : {"rx", "ro,rw", "RO", "Rw", "ro ", "z", "rro"}) {
        EXPECT_EQ(volume_flag_error("/a:/b:" + mode), "invalid mode: " + mode) << mode;
    }
}

TEST(VolumeFlag, RelativeSourceIsRejected) {
    for (const std::string spec : {"data:/data", "./data:/data", "~/data:/data:ro"}) {
        EXPECT_EQ(volume_flag_error(spec), "invalid volume specification: '" + spec +
                                               "': source path must be absolute")
            << spec;
    }
}

TEST(VolumeFlag, RelativeDestinationIsRejected) {
    for (const std::string spec : {"/a:data", "/a:./data", "/a:data:ro"}) {
        EXPECT_EQ(volume_flag_error(spec), "invalid volume specification: '" + spec +
                                               "': mount path must be absolute")
            << spec;
    }
}

TEST(VolumeFlag, DestinationThatIsTheRootIsRejected) {
    for (const std::string spec : {"/a:/", "/a://", "/a:/..", "/a:/./", "/a:/a/..", "/a:/:ro"}) {
        EXPECT_EQ(volume_flag_error(spec), "invalid volume specification: '" + spec +
                                               "': destination can't be '/'")
            << spec;
    }
}

}  // namespace
}  // namespace container
