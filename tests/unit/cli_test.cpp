// parse_command_line(): commands, options, where options stop, and every usage error.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>

#include "container/cli.hpp"
#include "expect_error.hpp"

namespace container {
namespace {

using Arguments = std::vector<std::string>;

RunOptions parse_run(const Arguments& arguments) {
    auto command = parse_command_line(arguments);
    EXPECT_TRUE(std::holds_alternative<RunOptions>(command));
    return std::holds_alternative<RunOptions>(command) ? std::get<RunOptions>(command)
                                                       : RunOptions{};
}

ImportOptions parse_import(const Arguments& arguments) {
    auto command = parse_command_line(arguments);
    EXPECT_TRUE(std::holds_alternative<ImportOptions>(command));
    return std::holds_alternative<ImportOptions>(command) ? std::get<ImportOptions>(command)
                                                          : ImportOptions{};
}

/// The help text @p arguments ask for, or "" (and a failure) when they parse otherwise.
std::string help_for(const Arguments& arguments) {
    auto command = parse_command_line(arguments);
    EXPECT_TRUE(std::holds_alternative<HelpRequest>(command));
    return std::holds_alternative<HelpRequest>(command) ? std::get<HelpRequest>(command).text : "";
}

std::string usage_error(const Arguments& arguments) {
    return testing::error_message([&] { (void)parse_command_line(arguments); });
}

std::vector<std::filesystem::path> destinations_of(const RunOptions& run) {
    std::vector<std::filesystem::path> destinations;
    for (const auto& volume : run.volumes) destinations.push_back(volume.destination);
    return destinations;
}

// --- commands ---

TEST(CommandLine, NoArgumentsAsksForACommand) {
    EXPECT_EQ(usage_error({}), "missing command (try 'container --help')");
}

TEST(CommandLine, UnknownCommandIsNamed) {
    EXPECT_EQ(usage_error({"frobnicate", "x"}),
              "unknown command: frobnicate (try 'container --help')");
    EXPECT_EQ(usage_error({"Run", "img", "sh"}), "unknown command: Run (try 'container --help')");
}

TEST(CommandLine, UnknownOptionBeforeTheCommandIsNamed) {
    EXPECT_EQ(usage_error({"--bogus", "run", "img", "sh"}), "unknown option: --bogus");
    EXPECT_EQ(usage_error({"-v", "/a:/b", "run", "img", "sh"}), "unknown option: -v");
}

// --- run ---

TEST(Run, ImageAndCommandWithDefaults) {
    const auto run = parse_run({"run", "busybox", "sh"});
    EXPECT_EQ(run.image, "busybox");
    EXPECT_EQ(run.command, (Arguments{"sh"}));
    EXPECT_EQ(run.hostname, "container");
    EXPECT_TRUE(run.volumes.empty());
}

TEST(Run, ImageMayBeAPath) {
    EXPECT_EQ(parse_run({"run", "./images/busybox", "sh"}).image, "./images/busybox");
}

TEST(Run, ArgumentsAfterTheImageBelongToTheCommandEvenWhenTheyLookLikeOptions) {
    const auto run = parse_run({"run", "img", "ls", "-l", "-v", "/a:/b", "--help", "--", "-h"});
    EXPECT_EQ(run.command, (Arguments{"ls", "-l", "-v", "/a:/b", "--help", "--", "-h"}));
    EXPECT_TRUE(run.volumes.empty());
}

TEST(Run, HelpAfterTheImageIsTheCommand) {
    const auto run = parse_run({"run", "img", "--help"});
    EXPECT_EQ(run.image, "img");
    EXPECT_EQ(run.command, (Arguments{"--help"}));
}

TEST(Run, DoubleDashEndsTheOptions) {
    const auto run = parse_run({"run", "-v", "/a:/b", "--", "--odd-image", "-x"});
    EXPECT_EQ(run.image, "--odd-image");
    EXPECT_EQ(run.command, (Arguments{"-x"}));
    EXPECT_EQ(run.volumes.size(), 1U);
}

TEST(Run, LoneDashIsAnOperand) {
    const auto run = parse_run({"run", "-", "sh"});
    EXPECT_EQ(run.image, "-");
    EXPECT_EQ(run.command, (Arguments{"sh"}));
}

TEST(Run, EveryFormOfTheVolumeOption) {
    for (const auto& form : std::vector<Arguments>{
             {"-v", "/srv:/data:ro"},
             {"-v/srv:/data:ro"},
             {"--volume", "/srv:/data:ro"},
             {"--volume=/srv:/data:ro"},
         }) {
        Arguments arguments{"run"};
        arguments.insert(arguments.end(), form.begin(), form.end());
        arguments.insert(arguments.end(), {"img", "sh"});
        const auto run = parse_run(arguments);
        ASSERT_EQ(run.volumes.size(), 1U) << form[0];
        EXPECT_EQ(run.volumes[0], parse_volume_flag("/srv:/data:ro")) << form[0];
        EXPECT_EQ(run.command, (Arguments{"sh"})) << form[0];
    }
}

TEST(Run, BothFormsOfTheMountOption) {
    const std::string spec = "type=bind,source=/srv,target=/data,readonly";
    for (const auto& form : std::vector<Arguments>{{"--mount", spec}, {"--mount=" + spec}}) {
        Arguments arguments{"run"};
        arguments.insert(arguments.end(), form.begin(), form.end());
        arguments.insert(arguments.end(), {"img", "sh"});
        const auto run = parse_run(arguments);
        ASSERT_EQ(run.volumes.size(), 1U);
        EXPECT_EQ(run.volumes[0], parse_mount_flag(spec));
    }
}

TEST(Run, ValueAfterEqualsMayHoldEqualsSigns) {
    const auto run = parse_run({"run", "--mount=type=bind,src=/a=b,dst=/c", "img", "sh"});
    ASSERT_EQ(run.volumes.size(), 1U);
    EXPECT_EQ(run.volumes[0].source, "/a=b");
}

TEST(Run, VolumesKeepTheCommandLineOrderAcrossBothOptions) {
    const auto run = parse_run({"run", "-v", "/a:/z/deep", "--mount", "type=bind,src=/b,dst=/y",
                                "--volume=/c:/x", "img", "sh"});
    EXPECT_EQ(destinations_of(run), (std::vector<std::filesystem::path>{"/z/deep", "/y", "/x"}));
}

TEST(Run, EveryFormOfTheHostnameOption) {
    EXPECT_EQ(parse_run({"run", "--hostname", "web-1.local", "img", "sh"}).hostname, "web-1.local");
    EXPECT_EQ(parse_run({"run", "--hostname=web-1.local", "img", "sh"}).hostname, "web-1.local");
}

TEST(Run, LastHostnameWins) {
    EXPECT_EQ(parse_run({"run", "--hostname", "a", "--hostname=b", "img", "sh"}).hostname, "b");
}

TEST(Run, HostnameOfOneToSixtyFourAllowedCharactersIsAccepted) {
    for (const auto& name : Arguments{"a", "Z9", "db.internal", "x-y", std::string(64, 'h')}) {
        EXPECT_EQ(parse_run({"run", "--hostname", name, "img", "sh"}).hostname, name);
    }
}

TEST(Run, OtherHostnamesAreRejected) {
    for (const auto& name :
         Arguments{"", std::string(65, 'h'), "web_1", "a b", "a/b", "caf\xc3\xa9", "host:1"}) {
        EXPECT_EQ(usage_error({"run", "--hostname", name, "img", "sh"}),
                  "invalid hostname: '" + name + "'")
            << name;
    }
}

TEST(Run, OptionValueIsTheNextArgumentEvenWhenItLooksLikeAnOption) {
    EXPECT_EQ(usage_error({"run", "-v", "--help", "img", "sh"}),
              "invalid volume specification: '--help': mount path must be absolute");
}

TEST(Run, MissingImage) {
    EXPECT_EQ(usage_error({"run"}), "run: missing IMAGE");
    EXPECT_EQ(usage_error({"run", "-v", "/a:/b"}), "run: missing IMAGE");
    EXPECT_EQ(usage_error({"run", "--"}), "run: missing IMAGE");
}

TEST(Run, MissingCommand) {
    EXPECT_EQ(usage_error({"run", "img"}), "run: missing CMD");
    EXPECT_EQ(usage_error({"run", "-v", "/a:/b", "img"}), "run: missing CMD");
}

TEST(Run, UnknownOptionIsNamed) {
    EXPECT_EQ(usage_error({"run", "--bogus", "img", "sh"}), "unknown option: --bogus");
    EXPECT_EQ(usage_error({"run", "--bogus=1", "img", "sh"}), "unknown option: --bogus");
    EXPECT_EQ(usage_error({"run", "-x", "img", "sh"}), "unknown option: -x");
    EXPECT_EQ(usage_error({"run", "-hv", "img", "sh"}), "unknown option: -hv");
    EXPECT_EQ(usage_error({"run", "--vol=/a:/b", "img", "sh"}), "unknown option: --vol");
}

TEST(Run, ShortOptionTakesTheRestOfItsArgumentAsItsValue) {
    // As with getopt: "-volume" is -v with the value "olume", not a long option.
    EXPECT_EQ(usage_error({"run", "-volume", "img", "sh"}),
              "invalid volume specification: 'olume': mount path must be absolute");
}

TEST(Run, OptionWithoutItsValue) {
    for (const std::string option : {"-v", "--volume", "--mount", "--hostname", "--cap-add",
                                     "--cap-drop", "--stop-timeout", "--layer-size"}) {
        EXPECT_EQ(usage_error({"run", option}), "option " + option + " needs a value") << option;
    }
}

TEST(Run, HelpTakesNoValue) {
    EXPECT_EQ(usage_error({"run", "--help=yes"}), "option --help takes no value");
}

// --- privileges and limits ---

TEST(Run, DefaultsAreDockersCapabilitiesTenSecondsAndOneGibibyte) {
    const auto run = parse_run({"run", "img", "sh"});
    EXPECT_EQ(run.capabilities, default_capabilities());
    EXPECT_FALSE(run.privileged);
    EXPECT_EQ(run.stop_timeout, std::chrono::seconds{10});
    EXPECT_EQ(run.layer_size, 1024U * 1024 * 1024);
}

TEST(Run, CapAddAndCapDropInEitherFormAndOrder) {
    constexpr CapabilitySet sys_admin = CapabilitySet{1} << 21;
    constexpr CapabilitySet chown = 1;
    EXPECT_EQ(parse_run({"run", "--cap-add", "SYS_ADMIN", "img", "sh"}).capabilities,
              default_capabilities() | sys_admin);
    EXPECT_EQ(
        parse_run({"run", "--cap-drop=chown", "--cap-add=cap_sys_admin", "img", "sh"}).capabilities,
        (default_capabilities() | sys_admin) & ~chown);
    // Adding wins, whatever the order on the command line.
    EXPECT_EQ(
        parse_run({"run", "--cap-add", "CHOWN", "--cap-drop", "ALL", "img", "sh"}).capabilities,
        chown);
    EXPECT_EQ(
        parse_run({"run", "--cap-drop", "ALL", "--cap-add", "CHOWN", "img", "sh"}).capabilities,
        chown);
}

TEST(Run, UnknownCapabilityIsNamedWithItsOption) {
    EXPECT_TRUE(usage_error({"run", "--cap-add", "SYS_ADMN", "img", "sh"})
                    .starts_with("--cap-add: unknown capability: 'SYS_ADMN' "));
    EXPECT_TRUE(usage_error({"run", "--cap-drop=", "img", "sh"})
                    .starts_with("--cap-drop: unknown capability: '' "));
    // Even with --privileged, which makes capabilities moot: a typo is an error.
    EXPECT_NE(usage_error({"run", "--privileged", "--cap-add", "bogus", "img", "sh"}), "");
}

TEST(Run, SysPtraceOnlyWithEveryCapability) {
    // The init keeps every capability; a command with CAP_SYS_PTRACE could make it run any
    // system call: every capability, which the user must then ask for as such.
    constexpr CapabilitySet sys_ptrace = CapabilitySet{1} << 19;
    const std::string refusal =
        "CAP_SYS_PTRACE without every other capability: the command could take over the "
        "container's init, which keeps them all (to unmount the volumes); give every "
        "capability knowingly (--cap-add ALL or --privileged), or drop SYS_PTRACE";
    EXPECT_EQ(usage_error({"run", "--cap-add", "SYS_PTRACE", "img", "sh"}), refusal);
    EXPECT_EQ(usage_error({"run", "--cap-drop", "ALL", "--cap-add", "cap_sys_ptrace", "img", "sh"}),
              refusal);
    EXPECT_EQ(usage_error({"run", "--cap-add", "ALL", "--cap-drop", "SYS_ADMIN", "img", "sh"}),
              refusal);
    EXPECT_EQ(parse_run({"run", "--cap-add", "ALL", "img", "sh"}).capabilities, all_capabilities());
    EXPECT_EQ(parse_run({"run", "--cap-add", "ALL", "--cap-drop", "SYS_PTRACE", "img", "sh"})
                  .capabilities,
              all_capabilities() & ~sys_ptrace);
    EXPECT_TRUE(
        parse_run({"run", "--privileged", "--cap-add", "SYS_PTRACE", "img", "sh"}).privileged);
}

TEST(Run, PrivilegedIsAFlag) {
    EXPECT_TRUE(parse_run({"run", "--privileged", "img", "sh"}).privileged);
    EXPECT_EQ(usage_error({"run", "--privileged=true", "img", "sh"}),
              "option --privileged takes no value");
    // A flag takes no value: what follows is the image.
    const auto run = parse_run({"run", "--privileged", "img", "sh", "--privileged"});
    EXPECT_EQ(run.image, "img");
    EXPECT_EQ(run.command, (Arguments{"sh", "--privileged"}));
}

TEST(Run, StopTimeoutInWholeSecondsOrMinusOneForNever) {
    EXPECT_EQ(parse_run({"run", "--stop-timeout", "0", "img", "sh"}).stop_timeout,
              std::chrono::seconds{0});
    EXPECT_EQ(parse_run({"run", "--stop-timeout=30", "img", "sh"}).stop_timeout,
              std::chrono::seconds{30});
    EXPECT_EQ(parse_run({"run", "--stop-timeout", "-1", "img", "sh"}).stop_timeout, std::nullopt);
}

TEST(Run, OtherStopTimeoutsAreRefused) {
    for (const std::string value :
         {"", "x", "1s", "1.5", "-2", " 1", "1 ", "+1", "0x10", "99999999999"}) {
        EXPECT_EQ(usage_error({"run", "--stop-timeout", value, "img", "sh"}),
                  "invalid --stop-timeout: '" + value +
                      "' (whole seconds, 0 or more, or -1 to wait for ever)")
            << value;
    }
}

TEST(Run, LayerSizeInBytesOrWithASuffix) {
    const auto size = [](const std::string& value) {
        return parse_run({"run", "--layer-size", value, "img", "sh"}).layer_size;
    };
    EXPECT_EQ(size("1"), 1U);
    EXPECT_EQ(size("4096"), 4096U);
    EXPECT_EQ(size("1k"), 1024U);
    EXPECT_EQ(size("1K"), 1024U);
    EXPECT_EQ(size("64m"), 64U << 20);
    EXPECT_EQ(size("64M"), 64U << 20);
    EXPECT_EQ(size("2g"), std::uint64_t{2} << 30);
    EXPECT_EQ(size("2G"), std::uint64_t{2} << 30);
    // The largest, 2^63 bytes: more would wrap to "no limit" in tmpfs' count of pages.
    EXPECT_EQ(size("8589934592g"), std::uint64_t{1} << 63);
    EXPECT_EQ(size("9223372036854775808"), std::uint64_t{1} << 63);
}

TEST(Run, OtherLayerSizesAreRefusedSayingWhy) {
    const auto refusal = [](const std::string& value) {
        return usage_error({"run", "--layer-size", value, "img", "sh"});
    };
    const std::string kHelp =
        " (a size such as 64m or 2g: bytes, or k, m or g for KiB, MiB or GiB)";
    EXPECT_EQ(refusal("0"), "invalid --layer-size: '0': the layer needs room" + kHelp);
    EXPECT_EQ(refusal("0g"), "invalid --layer-size: '0g': the layer needs room" + kHelp);
    for (const std::string value : {"", "g", "-1", "+1", " 1", "1.5g", "0x10"}) {
        EXPECT_TRUE(refusal(value).starts_with("invalid --layer-size: '" + value + "': ")) << value;
    }
    for (const std::string value : {"1x", "1t", "1gb", "1kk", "1 g", "1g "}) {
        EXPECT_EQ(refusal(value), "invalid --layer-size: '" + value + "': unknown unit" + kHelp)
            << value;
    }
    for (const std::string value : {"18446744073709551616", "17179869184g", "99999999999999999999k",
                                    // tmpfs would round these up past 2^64, to 0: no limit
                                    "18446744073709551615", "18446744073709547521",
                                    "9223372036854775809", "8589934593g", "17179869183g"}) {
        EXPECT_EQ(refusal(value), "invalid --layer-size: '" + value + "': too large" + kHelp)
            << value;
    }
}

TEST(Run, BadVolumeSpecStopsTheParse) {
    EXPECT_EQ(usage_error({"run", "-v", "/a:/data:shared,private", "img", "sh"}),
              "invalid mode: shared,private");
    EXPECT_EQ(usage_error({"run", "--mount", "type=Bind,src=/a,dst=/b", "img", "sh"}),
              "invalid mount specification: 'type=Bind,src=/a,dst=/b': "
              "unknown type 'Bind' (bind, volume or tmpfs)");
}

TEST(Run, DuplicateDestinationsAcrossBothOptionsAreRefused) {
    EXPECT_EQ(usage_error({"run", "-v", "/a:/data:ro", "--mount", "type=bind,src=/b,dst=/data/",
                           "img", "sh"}),
              "duplicate mount point: /data");
}

// --- help ---

TEST(Help, GeneralHelpWithEitherSpelling) {
    EXPECT_EQ(help_for({"--help"}), general_help());
    EXPECT_EQ(help_for({"-h"}), general_help());
}

TEST(Help, BeforeTheCommandIsTheGeneralHelp) {
    EXPECT_EQ(help_for({"--help", "run", "img", "sh"}), general_help());
    EXPECT_EQ(help_for({"-h", "bogus"}), general_help());
}

TEST(Help, AfterRunIsTheRunHelp) {
    EXPECT_EQ(help_for({"run", "--help"}), run_help());
    EXPECT_EQ(help_for({"run", "-h"}), run_help());
}

TEST(Help, AnywhereAmongRunOptionsWinsOverTheirValuesAndWhatFollows) {
    EXPECT_EQ(help_for({"run", "-v", "/a:/b", "--help", "img", "sh"}), run_help());
    EXPECT_EQ(help_for({"run", "-v", "bad", "--help"}), run_help());
    EXPECT_EQ(help_for({"run", "--hostname=bad_name", "-h", "--bogus"}), run_help());
}

TEST(Help, AnEarlierUnknownOptionIsStillAnError) {
    EXPECT_EQ(usage_error({"run", "--bogus", "--help"}), "unknown option: --bogus");
}

TEST(Help, AfterImportIsTheGeneralHelp) {
    EXPECT_EQ(help_for({"import", "--help"}), general_help());
    EXPECT_EQ(help_for({"import", "-h", "a.tar", "name"}), general_help());
}

// --- import ---

TEST(Import, TarballAndName) {
    const auto import = parse_import({"import", "alpine-minirootfs.tar.gz", "alpine"});
    EXPECT_EQ(import.tarball, "alpine-minirootfs.tar.gz");
    EXPECT_EQ(import.name, "alpine");
}

TEST(Import, NamesOfLettersDigitsDotsUnderscoresAndDashes) {
    for (const auto& name :
         Arguments{"alpine", "Alpine-3.19_x86", "3.19", "a..b", "x_", std::string(128, 'n')}) {
        EXPECT_EQ(parse_import({"import", "a.tar", name}).name, name);
    }
}

TEST(Import, OtherNamesAreRejected) {
    for (const auto& name : Arguments{"", ".", "..", ".hidden", "-x", "--help", "_private", "a/b",
                                      "../x", "a b", "caf\xc3\xa9", "a:b", std::string(129, 'n')}) {
        EXPECT_EQ(usage_error({"import", "a.tar", name}), "invalid image name: '" + name + "'")
            << name;
    }
}

TEST(Import, WrongNumberOfArguments) {
    EXPECT_EQ(usage_error({"import"}), "import: missing TARBALL");
    EXPECT_EQ(usage_error({"import", "a.tar"}), "import: missing NAME");
    EXPECT_EQ(usage_error({"import", "a.tar", "alpine", "extra"}),
              "import: unexpected argument: extra");
}

TEST(Import, UnknownOptionIsNamed) {
    EXPECT_EQ(usage_error({"import", "--force", "a.tar", "alpine"}), "unknown option: --force");
}

TEST(Import, DoubleDashLetsATarballStartWithADash) {
    EXPECT_EQ(parse_import({"import", "--", "-odd.tar", "alpine"}).tarball, "-odd.tar");
}

}  // namespace
}  // namespace container
