// Fault: ignores read-only (:ro), so a read-only volume can be written to
// Hint: 6
//
// One of the deliberately broken runtimes of step 05: the reference runtime, linked with
// this file and `-Wl,--wrap=<make_read_only>`, so that the call of
// container::make_read_only() that setup_container_volumes() makes comes here and does
// nothing: the volume is mounted, but stays writable from inside the container.
//
// Wrap: _ZN9container14make_read_onlyERKSt6vectorINSt10filesystem7__cxx114pathESaIS3_EES7_
#include <filesystem>
#include <vector>

extern "C" void __wrap__ZN9container14make_read_onlyERKSt6vectorINSt10filesystem7__cxx114pathESaIS3_EES7_(
    const std::vector<std::filesystem::path>& /*read_only_targets*/,
    const std::vector<std::filesystem::path>& /*all_targets*/) {
    // the fault: nothing at all
}
