// bench-floor: what the kernel itself needs for one bind mount and one unmount, the
// floor under the cost of one more volume (`make bench` compares the runtime with it).
//
//   bench-floor N DIRECTORY [ROUNDS]
//
// In a private mount namespace of its own, binds DIRECTORY/source onto N directories
// DIRECTORY/tI, then unmounts them one by one (umount2(2), not a lazy detach: each
// unmount waits for an RCU grace period, as the runtime's do), ROUNDS times (default 5).
// Prints the median of the rounds, in microseconds per bind + unmount. The directories
// are made before the clock starts and removed afterwards. Run as root.
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "bench-floor: %s: %s\n", what.c_str(), std::strerror(errno));
    std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3 || argc > 4) {
        std::fprintf(stderr, "usage: bench-floor N DIRECTORY [ROUNDS]\n");
        return 2;
    }
    const int count = std::atoi(argv[1]);
    const std::string directory = argv[2];
    const int rounds = argc == 4 ? std::atoi(argv[3]) : 5;
    if (count < 1 || rounds < 1) {
        std::fprintf(stderr, "bench-floor: N and ROUNDS must be positive\n");
        return 2;
    }

    // A namespace of its own, private: nothing done here reaches any other.
    if (::unshare(CLONE_NEWNS) != 0) die("unshare");
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) die("make / private");

    const std::string source = directory + "/source";
    std::vector<std::string> targets;
    if (::mkdir(source.c_str(), 0755) != 0 && errno != EEXIST) die("mkdir " + source);
    for (int i = 0; i < count; ++i) {
        targets.push_back(directory + "/t" + std::to_string(i));
        if (::mkdir(targets.back().c_str(), 0755) != 0 && errno != EEXIST) die("mkdir " + targets.back());
    }

    std::vector<double> per_volume;
    for (int round = 0; round < rounds; ++round) {
        const auto start = std::chrono::steady_clock::now();
        for (const std::string& target : targets) {
            if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0) die("bind");
        }
        for (const std::string& target : targets) {
            if (::umount2(target.c_str(), 0) != 0) die("umount");
        }
        const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
        per_volume.push_back(took.count() / count);
    }
    for (const std::string& target : targets) ::rmdir(target.c_str());
    ::rmdir(source.c_str());

    std::sort(per_volume.begin(), per_volume.end());
    std::printf("%.1f\n", per_volume[per_volume.size() / 2]);
    return 0;
}
